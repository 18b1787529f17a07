"""A first import names compounds and buildings that are not places yet: the check lists
them with their rows (and near-misses of existing compounds), creates nothing; confirmed
ones are created in the import's transaction, the rest stay errors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from linli.domain import idcard
from linli.domain.register_import.newplaces import near_misses
from linli.places.models import Level, Place
from linli.register.importing import do_import_residents, read_register_file
from linli.register.models import Resident

pytestmark = pytest.mark.django_db


def person(n: int) -> str:
    return idcard.make("510107", dt.date(1940 + n, 1, 1 + n), n, "F")


def sheet(rows: list[list[str]]) -> bytes:
    book = Workbook()
    table = book.active
    table.append(["某社区重点人员台账（2026年12月）"])
    table.merge_cells("A1:F1")
    table.append(["序号", "姓名", "身份证号", "小区", "楼栋", "人员类别"])
    for row in rows:
        table.append(row)
    table.append(["填报人：张三", "", "审核人：李四", "联系电话：028-85551234"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(place, content, **options):
    parsed = read_register_file(content, "台账.xlsx")
    return do_import_residents(
        actor=None, place=place, parsed=parsed, source="台账", file_name="台账.xlsx", **options
    )


ROWS = [
    ["1", "王秀英", person(1), "芳草苑", "3栋", "高龄独居老人"],
    ["2", "李桂兰", person(2), "芳草苑", "3栋", "无人照护的残疾人"],
    ["3", "赵大爷", person(3), "甲花园", "7栋", "空巢"],  # existing compound, new building
    ["4", "钱奶奶", person(4), "甲花圆", "1栋", "失能/半失能"],  # 甲花园 misspelt
]


def places_below(community) -> int:
    return Place.objects.filter(code__startswith=community.code).count()


def test_the_check_lists_new_places_with_their_rows_and_creates_nothing(inside):
    before = places_below(inside.community)
    summary = run(inside.community, sheet(ROWS), commit=False)
    found = {p.key: p for p in summary.new_places}
    assert set(found) == {"芳草苑", "芳草苑/3栋", "甲花园/7栋", "甲花圆", "甲花圆/1栋"}
    assert found["芳草苑"].rows == (3, 4) and found["芳草苑"].near == ()
    assert found["甲花圆"].near == ("甲花园",)  # new and a near-miss: flagged
    assert {e.code for e in summary.errors} == {
        "compound_unknown",
        "compound_near",
        "building_unknown",
    }
    assert places_below(inside.community) == before
    # Confirming on a check creates nothing either.
    run(inside.community, sheet(ROWS), commit=False, create_places=True)
    assert places_below(inside.community) == before


def test_create_all_makes_the_new_ones_but_not_the_near_miss(inside):
    before = places_below(inside.community)
    summary = run(inside.community, sheet(ROWS), commit=True, accept_valid=True, create_places=True)
    assert summary.committed
    assert places_below(inside.community) == before + 3  # 芳草苑, its 3栋, 甲花园 7栋
    fangcao = Place.objects.get(name="芳草苑", level=Level.COMPOUND)
    assert fangcao.parent == inside.community
    building = Place.objects.get(parent=fangcao, name="3栋")
    assert Resident.objects.get(name="王秀英").place == building
    assert Resident.objects.get(name="赵大爷").place.name == "7栋"
    assert [e.code for e in summary.errors] == ["compound_near"]  # 钱奶奶 stays an error
    assert not Place.objects.filter(name="甲花圆").exists()
    assert not Resident.objects.filter(name="钱奶奶").exists()


def test_only_the_confirmed_places_are_made(inside):
    summary = run(
        inside.grid, sheet(ROWS[:2]), commit=True, accept_valid=True, create_places=["芳草苑"]
    )
    fangcao = Place.objects.get(name="芳草苑")
    assert fangcao.parent == inside.grid and fangcao.code.startswith(inside.grid.code)
    assert not fangcao.children.exists()  # 3栋 not confirmed: those rows are errors
    assert {e.code for e in summary.errors} == {"building_unknown"}
    assert summary.valid == 0


def test_nothing_is_created_when_the_import_is_not_stored(inside):
    before = places_below(inside.community)
    bad = [*ROWS[:2], ["5", "", "", "芳草苑", "3栋", "困难户"]]
    summary = run(inside.community, sheet(bad), commit=True, create_places=True)
    assert not summary.committed and summary.created_places == []
    assert places_below(inside.community) == before


def test_command_line_lists_and_creates_new_places(inside, tmp_path, capsys):
    from linli.cli import main

    path = tmp_path / "台账.xlsx"
    path.write_bytes(sheet(ROWS))
    community = inside.community.code
    base = ["import", "residents", str(path), "--community", community, "--quiet"]
    main([*base, "--dry-run", "--create-places"])
    out = capsys.readouterr().out
    assert "新地点 芳草苑 3栋" in out and "是不是 甲花园" in out
    assert not Place.objects.filter(name="芳草苑").exists()
    main([*base, "--accept-valid", "--create-places"])
    assert Place.objects.filter(name="芳草苑").exists()
    assert not Place.objects.filter(name="甲花圆").exists()
    main([*base, "--accept-valid", "--create-place", "甲花圆", "--create-place", "甲花圆/1栋"])
    assert Resident.objects.get(name="钱奶奶").place.parent.name == "甲花圆"


def test_near_misses_by_one_edit_or_the_same_pinyin():
    existing = ["芳草苑", "金沙苑", "玉林小区"]
    assert near_misses("芳草园", existing) == ("芳草苑",)
    assert near_misses("方草苑", existing) == ("芳草苑",)  # fāng: same pinyin and one edit
    assert near_misses("玉林小去", existing) == ("玉林小区",)  # qu: pinyin
    assert near_misses("锦江花园", existing) == ()
    assert near_misses("芳草苑", existing) == ()


def test_the_page_offers_a_checkbox_per_new_place_and_creates_the_ticked(
    settings, secretary, inside, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from linli.register.models import ImportRun

    settings.LINLI_JOBS = "eager"
    client = Client()
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("register:import_upload"),
            {"file": SimpleUploadedFile("台账.xlsx", sheet(ROWS)), "source": "台账"},
        )
    run = ImportRun.objects.get()
    page = client.get(reverse("register:import", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert 'id="new-places"' in body
    assert 'name="create" value="芳草苑" checked' in body
    assert 'name="create" value="甲花圆">' in body  # a near-miss is not ticked
    assert "did you mean 甲花园?" in body
    assert not Place.objects.filter(name="芳草苑").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("register:import_accept", args=[run.pk]), {"create": ["芳草苑", "芳草苑/3栋"]}
        )
    fangcao = Place.objects.get(name="芳草苑")
    assert Resident.objects.get(name="王秀英").place.parent == fangcao
    assert not Place.objects.filter(name="7栋").exists()  # not ticked
