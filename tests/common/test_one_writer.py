"""One reader for uploaded spreadsheets, one writer for exported ones (issue 18, items 4
and 6): a new export or import that builds its own csv/xlsx writer or reader fails here,
so the bounds and the formula neutralising cannot be skipped by a module that forgot them."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "linli"
WRITER = re.compile(r"\bcsv\.(?:writer|DictWriter)\(|\bxlsxwriter\.Workbook\(")
READER = re.compile(
    r"python_calamine|load_workbook|\bcsv\.(?:reader|DictReader)\(|\bcsv\.Sniffer\("
)
# Package data Linli ships (the divisions, the synthetic population's own files), not uploads
# or exports of personal data.
OWN_DATA = {"domain/divisions.py", "domain/synth/files.py", "domain/synth/plan.py"}


def sources():
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if "/migrations/" not in name:
            yield name, path.read_text(encoding="utf-8")


def test_csv_and_xlsxwriter_writers_are_built_only_by_the_neutralising_writer():
    found = {name for name, text in sources() if WRITER.search(text)}
    assert found - OWN_DATA == {"domain/cells.py"}


def test_every_openpyxl_row_goes_through_xlsx_row():
    for name, text in sources():
        if "openpyxl import Workbook" not in text and "openpyxl.Workbook" not in text:
            continue
        appends = len(re.findall(r"\.append\(", text))
        safe = len(re.findall(r"\.append\(\s*xlsx_row\(", text))
        assert appends == safe, f"{name}: a row appended without xlsx_row"
        assert not re.search(r"\.value\s*=", text), f"{name}: a cell set without xlsx_row"


def test_spreadsheets_are_read_only_by_the_bounded_reader():
    found = {name for name, text in sources() if READER.search(text)}
    assert found - OWN_DATA <= {"domain/sheets/read.py", "domain/sheets/child.py"}
