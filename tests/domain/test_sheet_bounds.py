"""Each bound of the spreadsheet reader, hit with a small limit: refused before parsing, and
the refusal names the limit (linli.domain.sheets, issue 18 item 4)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from linli.domain.sheets import SheetLimits, TableError, check_xlsx, read_table
from tests.hostile.files import cell, sheet_xml, xlsx

SMALL = SheetLimits(
    max_rows=100,
    max_columns=10,
    max_cells=300,
    max_parts=20,
    max_unpacked=2 * 2**20,
    max_ratio=50,
    ratio_from=64 * 1024,
    max_shared_strings=50,
)


def refused(content: bytes, limits: SheetLimits = SMALL, name: str = "a.xlsx") -> TableError:
    with pytest.raises(TableError) as error:
        read_table(content, name, limits)
    return error.value


def test_a_cell_beyond_the_rows_or_columns_is_named():
    error = refused(xlsx(sheet_xml({1: [cell("A1", "x")], 101: [cell("A101", "y")]})))
    assert error.code == "far_cell" and error.params["cell"] == "A101"
    assert "limit of 100 rows and 10 columns" in str(error)
    assert refused(xlsx(sheet_xml({1: [cell("K1", "x")]}))).params["cell"] == "K1"


def test_a_declared_dimension_beyond_the_limits_is_refused_even_without_cells():
    error = refused(xlsx(sheet_xml({1: [cell("A1", "x")]}, dimension="A1:XFD1048576")))
    assert error.code == "dimension" and error.params["cell"] == "XFD1048576"


def test_the_rectangle_up_to_the_farthest_cell_is_bounded():
    error = refused(xlsx(sheet_xml({1: [cell("J1", "x")], 31: [cell("A31", "y")]})))
    assert error.code == "area" and "limit of 300 cells" in str(error)  # 31 × 10 = 310


def test_parts_unpacked_size_and_compression_ratio():
    many = xlsx(sheet_xml({}), {f"p{i}.xml": b"" for i in range(20)})
    assert refused(many).code == "parts"
    bomb = xlsx(sheet_xml({}), {"pad.xml": b"0" * (1 * 2**20)})  # ~1000 times
    error = refused(bomb)
    assert error.code == "ratio" and "more than 50 times" in str(error)
    honest = SheetLimits(**{**SMALL.__dict__, "max_ratio": 10**6})
    big = xlsx(sheet_xml({}), {"pad.xml": b"0" * (3 * 2**20)})
    assert refused(big, honest).code == "unpacked"


def test_a_part_whose_declared_size_lies_is_refused():
    content = bytearray(xlsx(sheet_xml({1: [cell("A1", "姓名" * 50)]})))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
    # The central directory entry of the sheet: declare 10 bytes instead of the real size.
    directory = content.rfind(b"xl/worksheets/sheet1.xml")  # its name in the directory
    entry = content.rfind(b"PK\x01\x02", 0, directory)
    assert sheet.file_size > 10
    struct.pack_into("<I", content, entry + 24, 10)
    error = refused(bytes(content))
    assert error.code == "size_lies" and "size in the zip directory is wrong" in str(error)


def test_shared_strings_are_counted():
    strings = b"<sst>" + b"<si><t>x</t></si>" * 51 + b"</sst>"
    error = refused(xlsx(sheet_xml({}), {"xl/sharedStrings.xml": strings}))
    assert error.code == "shared_strings" and "limit of 50" in str(error)


def test_csv_rows_columns_and_fields():
    assert refused(b"a\n" * 101, name="a.csv").code == "rows"
    error = refused(("x," * 11 + "\n").encode(), name="a.csv")
    assert error.code == "columns" and "limit of 10 columns" in str(error)
    assert refused(b'"' + b"x" * 200_000 + b'"\n', name="a.csv").code == "csv"


def test_an_honest_register_passes_every_bound():
    from openpyxl import Workbook

    book = Workbook()
    for i in range(50):
        book.active.append([f"居民{i}", "510107195003110023", "13800000000"])
    out = io.BytesIO()
    book.save(out)
    check_xlsx(out.getvalue(), SMALL)
    assert len(list(read_table(out.getvalue(), "a.xlsx", SMALL).rows)) == 50
