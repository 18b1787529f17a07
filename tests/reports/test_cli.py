"""``linli report``: built-in forms and template files, HXL read back with libhxl."""

from __future__ import annotations

import io
from pathlib import Path

import hxl
import pytest

from linli.cli import main
from linli.register.models import Resident
from linli.reports.models import Generation

from .helpers import read_xlsx
from .test_built_in_forms import people_with

pytestmark = pytest.mark.django_db
NEW_FORM = Path(__file__).parent / "new_form.yaml"


def test_street_summary_as_hxl_round_trips_through_libhxl(demo, tmp_path, capsys):
    out = tmp_path / "street.hxl.csv"
    args = ["report", "street_daily", "--place", demo.street.code, "--date", str(demo.day)]
    assert main([*args, "--format", "hxl", "--output", str(out), "--reason", "t"]) == 0
    assert "street_daily:" in capsys.readouterr().out
    dataset = hxl.data(io.BytesIO(out.read_bytes()), hxl.InputOptions(allow_local=True))
    rows = list(dataset)
    assert {row.get("#adm4+code") for row in rows} >= {c.code for c in demo.communities}
    people = {row.get("#adm4+code"): int(row.get("#population+num")) for row in rows}
    for community in demo.communities:
        assert (
            people[community.code]
            == Resident.objects.filter(place__code__startswith=community.code).count()
        )
    assert sum(people.values()) == 3500
    logged = Generation.objects.get()
    assert (logged.via, logged.format, logged.rows, logged.actor) == ("cli", "hxl", len(rows), None)


def test_a_new_form_works_from_a_file_with_no_code(demo, tmp_path):
    out = tmp_path / "new.xlsx"
    community = demo.communities[1]
    args = ["report", str(NEW_FORM), "--place", community.code, "--date", str(demo.day)]
    assert main([*args, "--output", str(out), "--reason", "t"]) == 0
    sheet = read_xlsx(out.read_bytes(), total_label="总计")
    expected = people_with(demo.day, community, category="elderly_alone")
    assert len(sheet.data) == len(expected) > 0
    assert sheet.sheet["A1"].value == f"{community.name}独居老人走访联系表"
    assert "C2:E2" in sheet.merged and sheet.sheet["C2"].value == "老人"
    assert sheet.total[0] == "总计" and sheet.total[2] == len(expected)
    assert sum(r[2] for r in sheet.subtotals) == len(expected)


def test_a_bad_template_file_fails_with_key_and_line(demo, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(NEW_FORM.read_text().replace("age(birth_date)", "age(born)"), "utf-8")
    args = [
        "report",
        "--reason",
        "t",
        str(bad),
        "--place",
        demo.street.code,
        "--output",
        str(tmp_path / "x"),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "line 15, columns[3].value: unknown field 'born'" in err
    assert not (tmp_path / "x").exists() and not Generation.objects.exists()


def test_bad_arguments_are_named(demo, tmp_path, capsys):
    out = str(tmp_path / "x")
    assert main(["report", "--reason", "t", "nope", "--place", "510107005", "--output", out]) == 2
    assert "no built-in form or file 'nope'" in capsys.readouterr().err
    assert main(["report", "--reason", "t", "street_daily", "--place", "99", "--output", out]) == 2
    assert "--place '99': no such place code" in capsys.readouterr().err
    args = [
        "report",
        "--reason",
        "t",
        "street_daily",
        "--place",
        "510107005",
        "--date",
        "2026-13-01",
    ]
    assert main([*args, "--output", out]) == 2
    assert "is not YYYY-MM-DD" in capsys.readouterr().err


def test_a_form_is_refused_for_a_level_it_is_not_meant_for(demo, tmp_path, capsys):
    grid = demo.communities[0].children.first()
    args = [
        "report",
        "--reason",
        "t",
        "street_daily",
        "--place",
        grid.code,
        "--output",
        str(tmp_path / "x"),
    ]
    assert main(args) == 2
    assert f"is for district, street, community, not grid {grid.code}" in capsys.readouterr().err
    assert not Generation.objects.exists()


def test_a_form_without_a_reason_is_refused_and_one_with_a_reason_is_audited(
    demo, tmp_path, capsys
):
    from msoffcrypto import OfficeFile

    from linli.common.audit import exports_of

    out = tmp_path / "street.xlsx"
    args = ["report", "street_daily", "--place", demo.street.code, "--output", str(out)]
    assert main(args) == 2
    assert "--reason is needed" in capsys.readouterr().err
    assert not out.exists() and not Generation.objects.exists()
    assert main([*args, "--reason", "报区里", "--password", "玉林东路-2026"]) == 0
    assert OfficeFile(io.BytesIO(out.read_bytes())).is_encrypted()
    (entry,) = exports_of(Generation.objects.get())
    assert entry.actor is None
    assert entry.additional_data == {
        "export": "street_daily.xlsx",
        "rows": Generation.objects.get().rows,
        "reason": "报区里",
        "protected": True,
    }
