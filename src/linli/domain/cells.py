"""Spreadsheet cells that a spreadsheet program will not run (formula injection, CWE-1236).

A value from a person — a name, a note, a cell of an uploaded sheet — that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be taken for a formula when
the export is opened. In xlsx such a value is written as a text cell (shown as typed,
never evaluated); in csv, which has no types, it is prefixed with an apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """The row to ``sheet.append``: risky strings become text cells."""
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
