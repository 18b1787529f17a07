"""Parsing whole tables: headers in any order, merged header cells, blank rows, csv
in UTF-8 and GBK, and the exact report of the messy register."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from linli.domain import idcard
from linli.domain.register_import import TableError, parse_table, read_table, write_rejected
from tests.register import messy

EXISTING = idcard.make("510107", dt.date(1940, 3, 5), 7, "F")


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_messy_register_gives_the_exact_report():
    parsed = parse_table(read_table(messy.workbook(EXISTING), "台账.xlsx"))
    assert parsed.header_row == 4
    assert parsed.ignored == ["民族"]
    found = [(e.row, e.column, e.code, e.value) for e in parsed.errors]
    # Compounds and buildings are checked against the database later (rows 16, 17).
    assert found == [
        e
        for e in messy.EXPECTED_ERRORS
        if e[2] not in ("compound_unknown", "compound_near", "building_unknown")
    ]
    wang = parsed.rows[0].record
    assert wang.name == "王秀英"
    assert wang.id_number == messy.WANG
    assert wang.phones == ("13800001111", "028-85551234")
    assert wang.categories == ("elderly_alone", "subsistence")
    assert (wang.risk, wang.needs) == ("high", ("meals", "medicine"))
    assert (wang.unit, wang.room) == ("1单元", "102")
    baby = parsed.rows[2].record
    assert (baby.id_number, baby.sex, baby.birth_date) == ("", "M", dt.date(2026, 1, 10))


def test_headers_in_any_order_and_variants():
    number = idcard.make("510107", dt.date(1960, 1, 1), 3, "M")
    parsed = parse_table(
        read_table(
            xlsx(
                [
                    ["手机号码", "身份证号", "名字", "出生日期"],
                    ["13800001111", number, "李雷", "1960/1/1"],
                ]
            )
        )
    )
    assert parsed.fields == {0: "phone", 1: "id_number", 2: "name", 3: "birth_date"}
    assert parsed.rows[0].valid


def test_a_file_without_a_name_column_is_refused_as_a_whole():
    parsed = parse_table(read_table(xlsx([["电话", "地址"], ["13800001111", "x"]])))
    assert parsed.missing == ["name"]
    assert parsed.rows == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(encoding):
    number = idcard.make("510107", dt.date(1960, 1, 1), 3, "M")
    text = f"姓名,身份证号,性别\n张伟,{number},男\n\n李娜,{number},女\n"
    parsed = parse_table(read_table(text.encode(encoding), "list.csv"))
    assert [r.record.name for r in parsed.valid] == ["张伟"]
    assert [(e.row, e.code) for e in parsed.errors] == [(4, "id_duplicate")]


def test_old_xls_and_empty_files_are_refused_with_a_reason():
    with pytest.raises(TableError, match="xlsx"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls")
    with pytest.raises(TableError, match="empty"):
        read_table(b"", "x.csv")


def test_rejected_rows_read_back_with_an_error_column_and_all_id_digits():
    parsed = parse_table(read_table(messy.workbook(EXISTING), "台账.xlsx"))
    book = load_workbook(io.BytesIO(write_rejected(parsed)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][-1] == "错误说明"
    assert rows[0][:-1] == tuple(parsed.headers)
    assert len(rows) == 1 + len(parsed.rejected)
    first = rows[1]
    assert first[2] == messy.BAD_CHECK and isinstance(first[2], str)
    assert first[-1].startswith("公民身份号码: check character is")
    again = parse_table(read_table(write_rejected(parsed), "rejected.xlsx"))
    assert "错误说明" not in again.ignored
    assert len(again.rows) == len(parsed.rejected)


def test_a_formula_in_an_uploaded_cell_comes_back_as_text_not_a_formula():
    """Formula injection (CWE-1236): the rejected-rows file echoes what people typed."""
    upload = '姓名,身份证号,备注\n"=HYPERLINK(""http://evil.example"",""点我"")",123,@SUM(A1)\n'
    parsed = parse_table(read_table(upload.encode(), "x.csv"))
    assert parsed.rejected
    book = load_workbook(io.BytesIO(write_rejected(parsed)))
    cells = next(iter(book.active.iter_rows(min_row=2)))
    assert cells[0].value.startswith("=HYPERLINK") and cells[0].data_type == "s"
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)
