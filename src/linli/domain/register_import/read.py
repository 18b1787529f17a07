"""Reading a register file is :mod:`linli.domain.sheets`, the one bounded reader."""

from linli.domain.sheets import Table, TableError, read_table
from linli.domain.sheets.read import decode

__all__ = ["Table", "TableError", "decode", "read_table"]
