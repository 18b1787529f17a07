"""How big an uploaded spreadsheet may be: each limit is named in the refusal that hits it."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    # A district's register of 500,000 people with 30 columns fits; a 100,000-row register
    # (16 columns) is 8.7 MB of xlsx unpacking to 76 MB with 1.6 million cells.
    max_rows: int = 500_000
    max_columns: int = 256
    # Rows × columns of the rectangle from A1 to the farthest cell: calamine allocates the
    # whole rectangle (32 bytes a cell), so this bounds its memory (10 M cells ≈ 320 MB).
    max_cells: int = 10_000_000
    max_parts: int = 1_000  # zip entries (Excel writes about 10; WPS about 15)
    max_unpacked: int = 512 * MB  # all parts together, counted as they unpack
    # Apache POI refuses parts inflating more than 100 times (ZipSecureFile's ratio 0.01);
    # a real sheet is 5–15 times. Small parts are exempt: their ratio means nothing.
    max_ratio: int = 100
    ratio_from: int = 1 * MB
    max_shared_strings: int = 2_000_000
    # The child process that parses the xlsx: address space and wall time.
    parse_memory: int = 3072 * MB
    parse_seconds: int = 120


LIMITS = SheetLimits()
