"""Reading the registers communities keep (xlsx/csv) into clean resident records.

Pure Python: no Django. :func:`read_table` turns a file into rows of cell values,
:func:`parse_table` finds the header (Chinese headers in any order, common variants,
merged header cells) and cleans every row (full-width digits, stray spaces, several
phones in one cell, dates in any of the usual spellings, ID numbers checked against
GB 11643 and against any sex and birth date given separately), and
:func:`write_rejected` writes the rejected rows with an error column so the user
can fix them and import them again.
"""

from .model import CleanRecord, ParsedTable, RowError, RowResult
from .parse import parse_table
from .read import TableError, read_table
from .rejected import write_rejected

__all__ = [
    "CleanRecord",
    "ParsedTable",
    "RowError",
    "RowResult",
    "TableError",
    "parse_table",
    "read_table",
    "write_rejected",
]
