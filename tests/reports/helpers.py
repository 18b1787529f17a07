"""Reading a generated form back with openpyxl."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl


@dataclass
class Sheet:
    sheet: object
    merged: set[str]
    header: list[list]  # header rows' values
    data: list[list]  # rows numbered in the 序号 column
    subtotals: list[list]
    total: list | None

    def column(self, leaf: str) -> int:
        """Index of the column whose lowest header cell (or merged one above) is ``leaf``."""
        for row in reversed(self.header):
            for i, value in enumerate(row):
                if value and str(value).split("（")[0] == leaf:
                    return i
        raise KeyError(leaf)


def read_xlsx(content: bytes, header_rows: int = 2, total_label: str = "合计") -> Sheet:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    top = next(i for i, row in enumerate(rows) if row[0] == "序号")
    body = rows[top + header_rows :]
    data = [r for r in body if isinstance(r[0], int)]
    subtotals = [r for r in body if isinstance(r[0], str) and r[0].endswith("小计")]
    total = next((r for r in body if r[0] == total_label), None)
    return Sheet(
        sheet,
        {str(r) for r in sheet.merged_cells.ranges},
        rows[top : top + header_rows],
        data,
        subtotals,
        total,
    )
