"""Importing a register file (xlsx/csv) into the register.

The pure part — reading, headers, cleaning — is :mod:`linli.domain.register_import`;
this package adds what needs the database and writes everything in one transaction.
"""

from .resolve import community_of
from .service import (
    check_register_file,
    do_import_residents,
    read_register_file,
    rejected_rows_xlsx,
)
from .summary import ImportRefused, ImportSummary, describe
from .write import source_choice

__all__ = [
    "ImportRefused",
    "ImportSummary",
    "check_register_file",
    "community_of",
    "describe",
    "do_import_residents",
    "read_register_file",
    "rejected_rows_xlsx",
    "source_choice",
]
