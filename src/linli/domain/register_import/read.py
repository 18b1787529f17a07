"""Read a spreadsheet (xlsx, or csv in UTF-8 or GBK) into rows of cell values."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class TableError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Table:
    rows: Iterator[list[Any]]
    total: int | None  # number of rows when the file says so (for progress), else None


def read_table(content: bytes, file_name: str = "") -> Table:
    """Rows of the first sheet (xlsx) or of the csv file; cells as Python values."""
    if not content:
        raise TableError("the file is empty")
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content)
    if content.startswith(OLE_MAGIC) or file_name.lower().endswith(".xls"):
        raise TableError("old .xls files are not read: save the sheet as .xlsx or .csv")
    return _read_csv(content)


def _read_xlsx(content: bytes) -> Table:
    # calamine (Rust) reads a sheet several times faster than openpyxl's read-only mode.
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = book.get_sheet_by_index(0)
    except Exception as error:  # calamine raises several kinds for a damaged file
        raise TableError(f"not a readable xlsx file ({type(error).__name__})") from None
    # iter_rows keeps the row numbers (leading blank rows are yielded) and streams.
    return Table(iter(sheet.iter_rows()), sheet.total_height)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (as GB 18030, its superset)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError("the csv file is neither UTF-8 nor GBK: save it as UTF-8") from None


def _read_csv(content: bytes) -> Table:
    text = decode(content)
    if "\x00" in text:
        raise TableError("not a spreadsheet: save it as .xlsx or .csv")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    return Table(iter(rows), len(rows))
