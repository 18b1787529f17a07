"""Spreadsheet cells that a spreadsheet program will not run (formula injection, CWE-1236):
the one writer every export of Linli goes through.

A value from a person — a name, a note, a cell of an uploaded sheet, a template's title —
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be taken for
a formula when the export is opened. In xlsx such a value is written as a text cell (shown
as typed, never evaluated); in csv and HXL, which have no types, it is prefixed with an
apostrophe. :func:`csv_writer` for csv and HXL, :func:`xlsx_row` for openpyxl sheets and
:func:`xlsxwriter_book` for XlsxWriter books: no export builds its own writer.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XlsxWriter's write() turns text starting with "=" into a formula and "http://…" into a
# link unless told not to; write_string never does, but merge_range calls write().
XLSXWRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """The row to ``sheet.append`` (write-only or not): risky strings become text cells."""
    row = []
    for value in values:
        if risky(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def csv_value(value: Any) -> Any:
    return "'" + value if risky(value) else value


class _NeutralWriter:
    """``csv.writer`` whose every cell goes through :func:`csv_value`."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_value(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **options: Any) -> _NeutralWriter:
    """A csv writer (``csv.writer``'s options) that neutralises risky cells."""
    return _NeutralWriter(out, **options)


def xlsxwriter_book(out: Any, **options: Any) -> Any:
    """An XlsxWriter workbook on ``out`` that writes every text as text."""
    import xlsxwriter

    return xlsxwriter.Workbook(out, {**options, **XLSXWRITER_OPTIONS})
