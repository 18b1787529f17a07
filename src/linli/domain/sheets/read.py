"""Read a spreadsheet (xlsx, or csv in UTF-8 or GBK) into rows of cell values, within
:class:`~.limits.SheetLimits`."""

from __future__ import annotations

import csv
import io
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bounds import check_xlsx
from .errors import TableError
from .limits import LIMITS, MB, SheetLimits

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
CHILD = Path(__file__).with_name("child.py")
SNIFF = 4096


@dataclass
class Table:
    rows: Iterator[list[Any]]
    total: int | None  # number of rows when the file says so (for progress), else None


def _kind(content: bytes, file_name: str) -> str:
    if not content:
        raise TableError("empty")
    if content.startswith(ZIP_MAGIC):
        return "xlsx"
    if content.startswith(OLE_MAGIC) or file_name.lower().endswith(".xls"):
        raise TableError("xls")
    return "csv"


def check_upload(content: bytes, file_name: str = "", limits: SheetLimits = LIMITS) -> None:
    """The checks :func:`read_table` makes before parsing, for an upload page to refuse a
    file at once (xlsx: the zip and the sheet's extent; csv: every row, counted)."""
    if _kind(content, file_name) == "xlsx":
        check_xlsx(content, limits)
    else:
        _read_csv(content, limits)


def read_table(content: bytes, file_name: str = "", limits: SheetLimits = LIMITS) -> Table:
    """Rows of the first sheet (xlsx) or of the csv file; cells as Python values (an xlsx
    formula cell gives its stored value, never its formula). Raises :class:`TableError`
    naming the limit a file goes beyond."""
    if _kind(content, file_name) == "xlsx":
        check_xlsx(content, limits)
        return _read_xlsx(content, limits)
    return _read_csv(content, limits)


def _read_xlsx(content: bytes, limits: SheetLimits) -> Table:
    # calamine (Rust) reads a sheet several times faster than openpyxl's read-only mode;
    # it runs in a child process, since its allocator aborts the process it runs in when
    # a file asks for more memory than there is.
    # -I: the child sees neither PYTHONPATH nor the script's folder, only the interpreter's
    # own packages (python_calamine among them).
    command = [sys.executable, "-I", str(CHILD), str(limits.parse_memory)]
    command.append(str(limits.parse_seconds))
    try:
        done = subprocess.run(
            command,
            input=content,
            capture_output=True,
            timeout=limits.parse_seconds + 5,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TableError("parse_time", limit=limits.parse_seconds) from None
    _check_exit(done.returncode, limits)
    stream = io.BytesIO(done.stdout)
    try:
        status, detail = pickle.load(stream)
    except Exception:
        raise TableError("parse_failed", reason="no answer from the reader") from None
    if status != "ok":
        raise TableError("unreadable", reason=detail)
    return Table(_batches(stream), detail)


def _check_exit(code: int, limits: SheetLimits) -> None:
    if code == 0:
        return
    if code == -signal.SIGXCPU:
        raise TableError("parse_time", limit=limits.parse_seconds)
    if code in (3, -signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        # 3: MemoryError; SIGABRT: Rust's allocation failure; SIGKILL: the kernel's OOM killer
        raise TableError("parse_memory", limit=limits.parse_memory // MB)
    raise TableError("parse_failed", reason=f"the reader stopped with status {code}")


def _batches(stream: io.BytesIO) -> Iterator[list[Any]]:
    while stream.tell() < len(stream.getbuffer()):
        yield from pickle.load(stream)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (as GB 18030, its superset)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError("encoding") from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise TableError("encoding") from None


def _read_csv(content: bytes, limits: SheetLimits) -> Table:
    text = decode(content)
    if "\x00" in text:
        raise TableError("binary")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:SNIFF], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            if len(rows) >= limits.max_rows:
                raise TableError("rows", limit=limits.max_rows)
            if len(row) > limits.max_columns:
                raise TableError(
                    "columns", row=reader.line_num, found=len(row), limit=limits.max_columns
                )
            rows.append(row)
    except csv.Error as error:  # a field over csv's own limit (128 KB), a stray quote, …
        raise TableError("csv", line=reader.line_num, reason=str(error)) from None
    return Table(iter(rows), len(rows))
