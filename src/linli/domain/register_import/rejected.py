"""Write the rejected rows to an xlsx the user can fix and import again."""

from __future__ import annotations

import io
from collections.abc import Callable

from .model import ParsedTable, RowError

ERROR_HEADER = "错误说明"


def write_rejected(
    parsed: ParsedTable, *, describe: Callable[[RowError], str] | None = None
) -> bytes:
    """The original header plus an error column, then each rejected row as given.

    Every cell is written as text, so ID numbers keep all 18 characters. The error
    column of an earlier rejected file is dropped; the new one is ignored when the
    file is imported again.
    """
    from openpyxl import Workbook

    describe = describe or (lambda e: f"{e.column}: {e.message}")
    keep = [i for i, _ in enumerate(parsed.headers) if parsed.fields.get(i) != "_errors"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("rejected")
    sheet.append([*(parsed.headers[i] for i in keep), ERROR_HEADER])
    for row in parsed.rejected:
        sheet.append([*(row.raw[i] for i in keep), "; ".join(describe(e) for e in row.errors)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
