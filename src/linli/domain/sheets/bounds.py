"""Bounding an xlsx before anything parses it: the zip, then the sheet XML as bytes.

Nothing here builds a table or an XML tree. Each part is unpacked in chunks and counted as
it unpacks (the sizes a zip directory declares can lie), and each chunk is searched for
the cell references (``r="XFD1048576"``) and declared dimensions that decide how much a
reader allocates. The search is deliberately blunt — any ``r="…"`` attribute in any part
counts — so a reference cannot hide in an unusual spelling; a reader that still asks for
too much meets the child process's memory limit (see :mod:`.child`)."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from operator import itemgetter

from .errors import TableError
from .limits import LIMITS, MB, SheetLimits

CHUNK = 1 * MB
TAIL = 64  # bytes kept from the previous chunk so a reference split by a chunk is found
# r="AB12", r='12' (a row), with spaces around "=": the reference of a cell or a row.
REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d{1,12})""")
DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
SHARED_STRING = (b"<si>", b"<si ", b"<si/")


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Extent:
    """The farthest row and column seen so far, checked against the limits."""

    def __init__(self, limits: SheetLimits) -> None:
        self.limits = limits
        self.rows = 0
        self.columns = 0

    def add(self, refs: list[tuple[bytes, bytes]], code: str) -> None:
        """``refs``: (column letters, row digits) pairs; raises ``code`` beyond a limit."""
        if not refs:
            return
        limits = self.limits
        row = max(map(int, map(itemgetter(1), refs)))
        # More than 7 letters is far beyond any limit: no need to compute the number.
        column = max(
            column_number(letters.decode()) if len(letters) <= 7 else 10**10
            for letters in set(map(itemgetter(0), refs))
        )
        if row > limits.max_rows or column > limits.max_columns:
            beyond = [
                (letters, digits)
                for letters, digits in refs
                if int(digits) > limits.max_rows
                or len(letters) > 7
                or column_number(letters.decode()) > limits.max_columns
            ]
            letters, digits = max(beyond, key=lambda ref: len(ref[0]))  # a cell, not a row
            cell = (letters.decode()[:8] + digits.decode()).upper()
            raise TableError(code, cell=cell, rows=limits.max_rows, columns=limits.max_columns)
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)

    def check_area(self) -> None:
        area = self.rows * max(self.columns, 1)
        if area > self.limits.max_cells:
            raise TableError(
                "area", rows=self.rows, columns=self.columns, limit=self.limits.max_cells
            )


def check_xlsx(content: bytes, limits: SheetLimits = LIMITS) -> None:
    """Raise :class:`TableError` naming the limit when the xlsx is larger than ``limits``
    allow, or when its zip is damaged; return quietly otherwise. Reads at most
    ``limits.max_unpacked`` bytes however the file is built."""
    try:
        book = zipfile.ZipFile(io.BytesIO(content))
        parts = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise TableError("unreadable", reason=type(error).__name__) from None
    if len(parts) > limits.max_parts:
        raise TableError("parts", found=len(parts), limit=limits.max_parts)
    extent = _Extent(limits)
    unpacked = 0
    shared = 0
    for part in parts:
        if part.is_dir():
            continue
        unpacked, shared = _check_part(book, part, limits, extent, unpacked, shared)
    extent.check_area()


def _check_part(
    book: zipfile.ZipFile,
    part: zipfile.ZipInfo,
    limits: SheetLimits,
    extent: _Extent,
    unpacked: int,
    shared: int,
) -> tuple[int, int]:
    name = part.filename[:80]
    if unpacked + part.file_size > limits.max_unpacked:
        raise TableError("unpacked", limit=limits.max_unpacked // MB)
    # Unpack up to the limit whatever size the directory declares, then compare.
    unbounded = copy.copy(part)
    unbounded.file_size = limits.max_unpacked + 1
    size = 0
    tail = b""
    in_sheet = False  # rows (r="12") count from <sheetData on; DrawingML has r="50000" too
    try:
        with book.open(unbounded) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked:
                    raise TableError("unpacked", limit=limits.max_unpacked // MB)
                if size > limits.ratio_from and size > limits.max_ratio * max(
                    part.compress_size, 1
                ):
                    raise TableError("ratio", part=name, limit=limits.max_ratio)
                text = tail + chunk
                refs = REFERENCE.findall(text)
                if not in_sheet:
                    in_sheet = b"sheetData" in text
                    refs = [ref for ref in refs if ref[0]] if not in_sheet else refs
                extent.add(refs, "far_cell")
                if b"dimension" in text:
                    for match in DIMENSION.finditer(text):
                        _check_dimension(match.group(1), extent)
                # Tags inside this chunk, and those split across it and the previous one.
                seam = tail[-3:] + chunk[:3]
                shared += sum(chunk.count(tag) + seam.count(tag) for tag in SHARED_STRING)
                if shared > limits.max_shared_strings:
                    raise TableError(
                        "shared_strings", found=f"{shared:,}+", limit=limits.max_shared_strings
                    )
                tail = text[-TAIL:]
    except TableError:
        raise
    except Exception as error:  # BadZipFile, zlib.error, encrypted or unknown compression
        raise TableError("unreadable", reason=type(error).__name__) from None
    if size != part.file_size:
        raise TableError("size_lies", part=name)
    return unpacked, shared


def _check_dimension(ref: bytes, extent: _Extent) -> None:
    last = ref.rsplit(b":", 1)[-1].replace(b"$", b"")
    match = re.fullmatch(rb"([A-Za-z]*)(\d{1,12})", last.strip())
    if match:
        extent.add([(match.group(1), match.group(2))], "dimension")
