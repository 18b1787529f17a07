"""The one way Linli reads an uploaded spreadsheet (xlsx, or csv in UTF-8 or GBK).

Every file is bounded before it is parsed: :func:`check_xlsx` looks at the zip (number of
parts, what each part really unpacks to, its compression ratio, sizes that lie) and at the
sheet's XML (declared dimension, the farthest cell, rows, shared strings) without building
any table; csv rows and columns are counted as they are read. The xlsx is then parsed by
calamine in a child process with a memory and a time limit, so a file that gets past the
checks and still asks for too much ends that child, never the server. Every refusal is a
:class:`TableError` whose message names the limit."""

from .bounds import check_xlsx
from .limits import LIMITS, SheetLimits
from .read import Table, TableError, check_upload, read_table

__all__ = [
    "LIMITS",
    "SheetLimits",
    "Table",
    "TableError",
    "check_upload",
    "check_xlsx",
    "read_table",
]
