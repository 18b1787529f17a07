"""Render a :class:`Table` as xlsx (the department's printed layout), csv or HXL csv.

csv and HXL carry the data rows only (one header row; HXL adds the hashtag row below it):
they are for machines, which compute their own totals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from linli.domain.cells import csv_writer, xlsxwriter_book

from .table import Table

FORMATS = ("xlsx", "csv", "hxl")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
}
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "hxl": "hxl.csv"}


def render(table: Table, fmt: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "csv":
        return to_csv(table)
    if fmt == "hxl":
        return to_csv(table, hxl=True)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _spread(sheet, row: int, texts: tuple[str, ...], width: int, style) -> None:
    """Texts of one line spread across the table's width, each over a merged span."""
    span = max(1, width // len(texts))
    for i, text in enumerate(texts):
        first = i * span
        last = width - 1 if i == len(texts) - 1 else first + span - 1
        if last > first:
            sheet.merge_range(row, first, row, last, text, style)
        else:
            sheet.write_string(row, first, text, style)


def to_xlsx(table: Table) -> bytes:
    """Title merged over the table, lines above, merged header, rows, lines below.

    Written with XlsxWriter (about four times faster than openpyxl on a district's
    lists); the tests read the files back with openpyxl."""
    template = table.template
    width = table.width
    out = io.BytesIO()
    book = xlsxwriter_book(out, in_memory=True)
    sheet = book.add_worksheet(template.sheet[:31])
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    plain = book.add_format({"valign": "vcenter"})
    head = book.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    body, bold = [], []
    for column in template.columns:
        base: dict[str, Any] = {"border": 1, "valign": "vcenter"}
        if column.format:
            base["num_format"] = column.format
        body.append(book.add_format(base))
        bold.append(book.add_format({**base, "bold": True}))
    dates = book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    label = book.add_format({"border": 1, "bold": True, "align": "center", "valign": "vcenter"})

    if width > 1:
        sheet.merge_range(0, 0, 0, width - 1, table.title, title)
    else:
        sheet.write_string(0, 0, table.title, title)
    sheet.set_row(0, 30)
    row = 1
    for line in table.above:
        _spread(sheet, row, line, width, plain)
        row += 1
    top = row
    merged = set()
    for r1, c1, r2, c2 in table.header_merges:
        sheet.merge_range(top + r1, c1, top + r2, c2, table.header[r1][c1], head)
        merged |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for level, labels in enumerate(table.header):
        for c, text in enumerate(labels):
            if (level, c) not in merged:
                sheet.write(top + level, c, text, head)
    row = top + len(table.header)
    sheet.freeze_panes(row, 0)
    span_end = next((c for c, col in enumerate(template.columns) if col.total != "none"), width)
    for table_row in table.rows:
        data = table_row.kind == "data"
        styles = body if data else bold
        for c, value in enumerate(table_row.cells):
            if not data and c < span_end:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(row, c, value, dates if data else styles[c])
            elif value is None:
                sheet.write_blank(row, c, None, styles[c])
            elif isinstance(value, str):
                sheet.write_string(row, c, value, styles[c])
            else:
                sheet.write(row, c, value, styles[c])
        if not data:
            if span_end > 1:
                sheet.merge_range(row, 0, row, span_end - 1, table_row.cells[0], label)
            else:
                sheet.write(row, 0, table_row.cells[0], label)
        row += 1
    for line in table.below:
        row += 1
        _spread(sheet, row, line, width, plain)
    for c, column in enumerate(template.columns):
        sheet.set_column(c, c, column.width or 12)
    if width > 8:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, top + len(table.header) - 1)
    book.close()
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def to_csv(table: Table, *, hxl: bool = False) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese right); one header row, and
    with ``hxl`` the hashtag row under it. Text that a spreadsheet would run as a formula
    is prefixed with an apostrophe (:mod:`linli.domain.cells`)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(table.leaf_headers())
    if hxl:
        writer.writerow([c.hxl for c in table.template.columns])
    for table_row in table.data_rows:
        writer.writerow([_plain(v) for v in table_row.cells])
    return out.getvalue().encode("utf-8-sig")
