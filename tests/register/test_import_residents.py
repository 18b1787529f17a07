"""The register import against a real database: the messy register's exact report,
nothing stored on rejection, only valid rows with acceptance, idempotent re-import,
fixing the rejected rows, scope of a grid worker, and the command line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from linli.domain import idcard
from linli.domain.disclosure import mask_id_number
from linli.places.models import Place
from linli.register.importing import do_import_residents, read_register_file
from linli.register.models import Household, Resident, SourceRecord, Vulnerability, Ward
from tests.register import messy

pytestmark = pytest.mark.django_db


def run(place, content, *, commit=True, accept_valid=False, source="民政台账", name="台账.xlsx"):
    parsed = read_register_file(content, name)
    return do_import_residents(
        actor=None,
        place=place,
        parsed=parsed,
        source=source,
        file_name=name,
        commit=commit,
        accept_valid=accept_valid,
    )


def snapshot() -> dict[str, int]:
    return {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "vulnerabilities": Vulnerability.objects.count(),
        "wards": Ward.objects.count(),
        "sources": SourceRecord.objects.count(),
        "audit": LogEntry.objects.count(),
    }


def test_messy_register_exact_report_and_nothing_stored(inside):
    before = snapshot()
    summary = run(inside.community, messy.workbook(inside.resident.id_number))
    assert [(e.row, e.column, e.code, e.value) for e in summary.errors] == messy.EXPECTED_ERRORS
    assert summary.counts() == messy.EXPECTED_COUNTS
    assert summary.ignored_columns == ["民族"]
    assert summary.committed is False
    assert snapshot() == before


def test_dry_run_stores_nothing_even_when_everything_is_valid(inside):
    number = idcard.make("510107", dt.date(1960, 1, 1), 3, "M")
    content = f"姓名,身份证号\n李雷,{number}\n".encode()
    before = snapshot()
    summary = run(inside.community, content, commit=False, name="a.csv")
    assert summary.counts()["new"] == 1 and not summary.committed
    assert snapshot() == before


def test_accepting_imports_only_the_valid_rows(inside):
    before = snapshot()
    summary = run(inside.community, messy.workbook(inside.resident.id_number), accept_valid=True)
    assert summary.committed
    after = snapshot()
    assert after["residents"] == before["residents"] + 2
    assert after["sources"] == before["sources"] + 3
    wang = Resident.objects.get(id_number=messy.WANG)
    assert (wang.name, wang.sex, wang.birth_date) == ("王秀英", "F", dt.date(1938, 6, 1))
    assert (wang.phone, wang.phone2) == ("13800001111", "028-85551234")
    assert wang.place == inside.building
    assert (wang.household.unit, wang.household.room) == ("1单元", "102")
    assert wang.relation == "户主"
    assert sorted(v.category for v in wang.vulnerabilities.all()) == [
        "elderly_alone",
        "subsistence",
    ]
    assert {v.source for v in wang.vulnerabilities.all()} == {"civil_affairs"}
    assert (wang.ward.risk, wang.ward.needs) == ("high", ["meals", "medicine"])
    baby = Resident.objects.get(name="刘小宝")
    assert not baby.has_id_number and baby.birth_date == dt.date(2026, 1, 10)
    old = Resident.objects.get(pk=inside.resident.pk)
    assert (old.phone, old.phone2) == ("13800000000", "13900002222")
    assert old.household == inside.household  # 1栋 1单元 101: the household it had
    assert sorted(v.category for v in old.vulnerabilities.all()) == [
        "chronic_medicine",
        "elderly_alone",
    ]
    line = SourceRecord.objects.get(resident=wang)
    assert (line.source, line.row_number, line.file_name) == ("民政台账", 5, "台账.xlsx")
    assert line.fields["公民身份号码"] == messy.WANG and line.fields["民族"] == "汉"
    created = LogEntry.objects.get_for_object(wang).get()
    assert created.action == LogEntry.Action.CREATE
    update = LogEntry.objects.get_for_object(old).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes["phone2"] == ["", "139****2222"]  # masked, as the pages do


def test_reimporting_the_same_file_changes_nothing(inside):
    content = messy.workbook(inside.resident.id_number)
    run(inside.community, content, accept_valid=True)
    before = snapshot()
    stamps = list(SourceRecord.objects.order_by("pk").values_list("imported_at", flat=True))
    summary = run(inside.community, content, accept_valid=True)
    assert summary.counts() == {**messy.EXPECTED_COUNTS, "new": 0, "updated": 0, "unchanged": 3}
    assert snapshot() == before
    assert list(SourceRecord.objects.order_by("pk").values_list("imported_at", flat=True)) == stamps


def test_fixed_rejected_rows_import_cleanly(inside):
    first = run(inside.community, messy.workbook(inside.resident.id_number), accept_valid=True)
    book = load_workbook(io.BytesIO(first.rejected_xlsx()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明" and sheet.max_row == 1 + 13
    # Fix the check-character row: the correct number; drop the other rejected rows.
    fixed = [header[:-1], [c.value for c in sheet[2]][:-1]]
    fixed[1][header.index("公民身份号码")] = messy.ZHOU
    out = load_workbook(io.BytesIO(first.rejected_xlsx()))
    out.active.delete_rows(1, out.active.max_row)
    for row in fixed:
        out.active.append(row)
    buffer = io.BytesIO()
    out.save(buffer)
    summary = run(inside.community, buffer.getvalue(), name="台账-rejected.xlsx")
    assert summary.counts() == {**summary.counts(), "read": 1, "valid": 1, "rejected": 0, "new": 1}
    assert summary.committed
    assert Resident.objects.get(id_number=messy.ZHOU).name == "周建国"


def test_rows_without_id_are_matched_again_by_their_line_in_the_same_source(inside):
    content = "姓名,性别,出生日期,联系电话\n刘小宝,男,2026-01-10,\n".encode()
    run(inside.community, content, name="a.csv")
    summary = run(inside.community, content, name="a.csv")
    assert summary.counts()["unchanged"] == 1
    other = run(inside.community, content, name="a.csv", source="卫健")
    assert other.counts()["new"] == 1  # another department's list: linkage finds the pair
    assert Resident.objects.filter(name="刘小宝").count() == 2


def test_a_grid_worker_imports_only_into_the_grid(inside, outside):
    grid = inside.grid
    other_compound = Place.objects.create(
        code=inside.community.code + "0201", name="丙苑", level="compound", parent=inside.community
    )
    number = idcard.make("510107", dt.date(1960, 1, 1), 3, "M")
    Resident.objects.create(place=other_compound, name="外格", id_number=number)
    content = (f"姓名,身份证号,小区\n外格,{number},\n丙人,,丙苑\n甲人,,甲花园\n").encode()
    summary = run(grid, content, name="g.csv")
    assert [(e.row, e.code) for e in summary.errors] == [
        (2, "outside_area"),
        (3, "compound_unknown"),
    ]
    assert summary.errors[0].value == mask_id_number(number)


def test_merged_residents_stand_for_their_survivor(inside):
    number = idcard.make("510107", dt.date(1960, 1, 1), 3, "M")
    merged = Resident.objects.create(
        place=inside.building, name="李雷", id_number=number, merged_into=inside.resident
    )
    summary = run(inside.community, f"姓名,身份证号\n李雷,{number}\n".encode(), name="a.csv")
    assert summary.counts()["new"] == 0
    assert SourceRecord.objects.get().resident == inside.resident
    assert merged not in Resident.objects.current()


def test_command_line_prints_the_report_and_writes_the_rejected_rows(inside, tmp_path, capsys):
    from linli.cli import main

    path = tmp_path / "台账.xlsx"
    path.write_bytes(messy.workbook(inside.resident.id_number))
    before = snapshot()
    code = main(["import", "residents", str(path), "--community", inside.community.code])
    out = capsys.readouterr().out
    assert code == 1 and snapshot() == before
    assert "第 9 行 · 公民身份号码: 校验码是 0，应为" in out and "[138001380001]" in out
    assert "读取行数" in out and "未保存任何数据" in out
    rejected = tmp_path / "台账-rejected.xlsx"
    assert load_workbook(rejected).active.max_row == 14
    code = main(
        ["import", "residents", str(path), "--community", inside.community.code, "--accept-valid"]
    )
    assert code == 0 and snapshot()["residents"] == before["residents"] + 2
    code = main(["import", "residents", str(path), "--community", "999"])
    assert code == 2


def test_a_one_cell_address_is_split_into_compound_building_unit_and_room(inside):
    number = idcard.make("510107", dt.date(1960, 1, 1), 3, "M")
    content = (
        f"姓名,身份证号,住址\n李雷,{number},甲花园1栋1单元101室\n韩梅梅,,甲花园9栋2单元1\n"
    ).encode()
    summary = run(inside.community, content, name="a.csv", accept_valid=True)
    assert [(e.row, e.column, e.code) for e in summary.errors] == [(3, "住址", "building_unknown")]
    li = Resident.objects.get(id_number=number)
    assert (li.place, li.household, li.address) == (
        inside.building,
        inside.household,
        "甲花园1栋1单元101室",
    )
    again = run(inside.community, content, name="a.csv", accept_valid=True)
    assert again.counts()["unchanged"] == 1
