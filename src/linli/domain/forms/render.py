"""Render a :class:`Table` as xlsx (the department's printed layout), csv or HXL csv.

csv and HXL carry the data rows only (one header row; HXL adds the hashtag row below it):
they are for machines, which compute their own totals."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .table import Table

FORMATS = ("xlsx", "csv", "hxl")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
}
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "hxl": "hxl.csv"}

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def render(table: Table, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "csv":
        return to_csv(table)
    if fmt == "hxl":
        return to_csv(table, hxl=True)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _spread(sheet, row: int, texts: tuple[str, ...], width: int) -> None:
    """Texts of one line spread across the table's width, each over a merged span."""
    span = max(1, width // len(texts))
    for i, text in enumerate(texts):
        first = 1 + i * span
        last = width if i == len(texts) - 1 else first + span - 1
        sheet.cell(row=row, column=first, value=text)
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def to_xlsx(table: Table) -> bytes:
    """Title merged over the table, lines above, merged header, rows, lines below."""
    template = table.template
    width = table.width
    book = Workbook()
    sheet = book.active
    sheet.title = template.sheet[:31]
    sheet.cell(row=1, column=1, value=table.title).font = Font(bold=True, size=16)
    sheet.cell(row=1, column=1).alignment = CENTRE
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 30
    row = 2
    for line in table.above:
        _spread(sheet, row, line, width)
        row += 1
    top = row
    for level, labels in enumerate(table.header):
        for c, label in enumerate(labels):
            cell = sheet.cell(row=top + level, column=c + 1, value=label)
            cell.font = Font(bold=True)
    for r1, c1, r2, c2 in table.header_merges:
        sheet.merge_cells(
            start_row=top + r1, start_column=c1 + 1, end_row=top + r2, end_column=c2 + 1
        )
    for r in range(top, top + len(table.header)):
        for c in range(1, width + 1):
            sheet.cell(row=r, column=c).border = BOX
            sheet.cell(row=r, column=c).alignment = CENTRE
    row = top + len(table.header)
    sheet.freeze_panes = sheet.cell(row=row, column=1)
    for table_row in table.rows:
        for c, value in enumerate(table_row.cells):
            cell = sheet.cell(row=row, column=c + 1, value=value)
            cell.border = BOX
            column = template.columns[c]
            if column.format:
                cell.number_format = column.format
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if table_row.kind != "data":
                cell.font = Font(bold=True)
        if table_row.kind != "data":
            span_end = next(
                (c for c, col in enumerate(template.columns) if col.total != "none"), width
            )
            if span_end > 1:
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span_end)
            sheet.cell(row=row, column=1).alignment = CENTRE
        row += 1
    for line in table.below:
        row += 1
        _spread(sheet, row, line, width)
    for c, column in enumerate(template.columns):
        letter = get_column_letter(c + 1)
        sheet.column_dimensions[letter].width = column.width or 12
    sheet.page_setup.orientation = "landscape" if width > 8 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = f"{top}:{top + len(table.header) - 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def to_csv(table: Table, *, hxl: bool = False) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese right); one header row, and
    with ``hxl`` the hashtag row under it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.leaf_headers())
    if hxl:
        writer.writerow([c.hxl for c in table.template.columns])
    for table_row in table.data_rows:
        writer.writerow([_plain(v) for v in table_row.cells])
    return out.getvalue().encode("utf-8-sig")
