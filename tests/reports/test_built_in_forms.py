"""Every built-in form renders from demo-like data, reads back with openpyxl in its
layout, and its figures agree with the register counted independently here."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from auditlog.models import LogEntry
from django.db.models import Q

from linli.domain.disclosure import mask_id_number
from linli.guardianship.models import Assignment, Volunteer
from linli.places.models import Place
from linli.register.models import Household, Resident, Vulnerability
from linli.reports.catalogue import built_in_forms
from linli.reports.models import Generation
from linli.reports.services import build_form_table, do_generate_report
from linli.rostering.models import RosterShift, WorkedSpan

from .helpers import read_xlsx

pytestmark = pytest.mark.django_db


def generate(form_key, place, day, actor=None, fmt="xlsx"):
    return do_generate_report(
        actor=actor,
        form=built_in_forms()[form_key],
        place=place,
        day=day,
        fmt=fmt,
        reason="test",
    )


def active(day):
    return Vulnerability.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gte=day),
    )


def people_with(day, place, **lookup) -> set[int]:
    return set(
        active(day)
        .filter(resident__place__code__startswith=place.code, **lookup)
        .values_list("resident_id", flat=True)
    )


def test_civil_affairs_list_has_the_register_people_and_layout(demo):
    report = generate("civil_affairs", demo.street, demo.day)
    sheet = read_xlsx(report.content)
    expected = people_with(
        demo.day,
        demo.street,
        category__in=["subsistence", "de_facto_orphan", "left_behind_child"],
    )
    assert expected and len(sheet.data) == len(expected) == report.generation.rows
    # Title merged over the whole table, group header merged over its columns.
    assert sheet.sheet["A1"].value.startswith(demo.street.name)
    assert "A1:N1" in sheet.merged and "A3:A4" in sheet.merged
    assert "B3:G3" in sheet.merged and sheet.sheet["B3"].value == "基本情况"
    assert "K3:N3" in sheet.merged and sheet.sheet["K3"].value == "临时监护落实情况"
    # One subtotal per community present, then the totals row = number of rows.
    assert sheet.total[1] == len(sheet.data)
    assert sum(r[1] for r in sheet.subtotals) == len(sheet.data)
    for row in sheet.subtotals:
        community = next(c for c in demo.communities if row[0].startswith(c.short_name))
        assert row[1] == len(expected & people_with(demo.day, community, resident_id__in=expected))
    # Masked ID numbers; the guardian named is the register's primary guardian.
    ids = sheet.column("身份证号")
    names = sheet.column("姓名")
    guardians = dict(
        Assignment.objects.filter(role="primary").values_list(
            "ward__resident__name", "volunteer__name"
        )
    )
    for row in sheet.data:
        assert row[ids].endswith("****")
        resident = Resident.objects.get(
            pk__in=expected, name=row[names], id_number__startswith=row[ids][:14]
        )
        assert row[ids] == mask_id_number(resident.id_number)
        assert (row[sheet.column("监护人")] or None) == guardians.get(resident.name)
    signature = [c.value for row in sheet.sheet.iter_rows(min_row=sheet.sheet.max_row) for c in row]
    assert [v for v in signature if v] == ["填报人：", "审核人：", "联系电话："]


def test_disabled_federation_list_counts_every_disabled_person(demo):
    sheet = read_xlsx(generate("disabled_federation", demo.street, demo.day).content)
    expected = people_with(demo.day, demo.street, disability_type__gt="")
    assert len(sheet.data) == len(expected) > 0
    grade = sheet.column("等级")
    assert {row[grade] for row in sheet.data} <= {"一级", "二级", "三级", "四级"}
    carer = sheet.column("有无照料人")
    assert {row[carer] for row in sheet.data} == {"无"}  # all are disabled_no_carer here
    assert sheet.total[1] == len(expected)


def test_health_quarantine_report_lists_those_in_quarantine_today(demo, make_user):
    secretary = make_user("community_secretary")  # 玉林东路社区, may see full IDs
    community = demo.communities[0]
    report = generate("health_quarantine", community, demo.day, actor=secretary)
    sheet = read_xlsx(report.content)
    expected = people_with(demo.day, community, category="home_quarantine")
    assert len(sheet.data) == len(expected) == 4  # the one that ended yesterday is left out
    days = sheet.column("已隔离天数")
    assert sorted(row[days] for row in sheet.data) == [4, 6, 8, 10]
    ids = sheet.column("身份证号")
    full = set(Resident.objects.filter(pk__in=expected).values_list("id_number", flat=True))
    assert {row[ids] for row in sheet.data} == full  # this audience sees full numbers …
    reveals = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=secretary, changes__has_key="revealed"
    )
    assert {int(e.object_pk) for e in reveals} == expected  # … and each one is recorded
    assert report.generation.full_id is True


def test_health_report_stays_masked_for_someone_who_may_not_see_ids(demo, make_user):
    officer = make_user("street_officer")
    sheet = read_xlsx(generate("health_quarantine", demo.street, demo.day, actor=officer).content)
    ids = sheet.column("身份证号")
    assert len(sheet.data) == 8 and all(row[ids].endswith("****") for row in sheet.data)
    assert not LogEntry.objects.filter(changes__has_key="revealed").exists()
    assert LogEntry.objects.get(action=LogEntry.Action.ACCESS).changes_dict["exported"] == [
        "health_quarantine.xlsx",
        "test",
    ]


def test_street_daily_summary_agrees_with_the_register_per_community(demo):
    report = generate("street_daily", demo.street, demo.day)
    sheet = read_xlsx(report.content)
    communities = Place.objects.filter(code__startswith=demo.street.code, level="community")
    assert len(sheet.data) == communities.count()
    code, people, homes = sheet.column("区划代码"), sheet.column("人数"), sheet.column("户数")
    elderly, wards = sheet.column("独居老人"), sheet.column("监护对象")
    guarded, unguarded = sheet.column("已落实"), sheet.column("未落实")
    for row in sheet.data:
        prefix = row[code]
        assert row[people] == Resident.objects.filter(place__code__startswith=prefix).count()
        assert row[homes] == Household.objects.filter(place__code__startswith=prefix).count()
        assert row[elderly] == len(
            people_with(demo.day, Place(code=prefix), category="elderly_alone")
        )
        planned = Assignment.objects.filter(ward__resident__place__code__startswith=prefix)
        assert row[guarded] == planned.filter(role="primary").count()
        assert row[wards] == row[guarded] + row[unguarded]
    for i in range(3, len(sheet.total)):
        assert sheet.total[i] == sum(row[i] for row in sheet.data)
    assert sheet.total[people] == Resident.objects.count() == 3500
    assert sheet.column("居家隔离") and sheet.total[sheet.column("居家隔离")] == 8


def test_volunteer_hours_match_shifts_and_hours_worked(demo):
    sheet = read_xlsx(generate("volunteer_hours", demo.street, demo.day).content)
    assert len(sheet.data) == Volunteer.objects.count()
    hours, shifts = sheet.column("服务时长"), sheet.column("排班")
    week = (demo.day - dt.timedelta(days=6), demo.day)
    assert sheet.total[shifts] == RosterShift.objects.filter(day__range=week).count()
    worked = WorkedSpan.objects.count()
    assert sheet.total[hours] == pytest.approx(7.5 * worked)
    primary = sheet.column("主监护")
    assert sheet.total[primary] == Assignment.objects.filter(role="primary").count()


def test_every_generation_is_logged_with_rows_and_checksum(demo, make_user):
    officer = make_user("street_officer")
    for key in built_in_forms():
        for fmt in ("xlsx", "csv", "hxl"):
            report = generate(key, demo.street, demo.day, actor=officer, fmt=fmt)
            logged = Generation.objects.get(pk=report.generation.pk)
            assert logged.checksum == hashlib.sha256(report.content).hexdigest()
            table, _records = build_form_table(
                built_in_forms()[key].template, demo.street, demo.day, actor=officer
            )
            assert logged.rows == len(table.data_rows)
            assert (logged.actor, logged.form_key, logged.format) == (officer, key, fmt)
    assert Generation.objects.count() == 3 * len(built_in_forms())


@pytest.mark.parametrize("key", sorted(built_in_forms()))
def test_a_batch_gives_each_community_the_file_it_would_get_alone(demo, key, monkeypatch):
    from linli.domain.forms import batch
    from linli.reports.services import do_generate_batch

    # Render the street's few communities in forked workers, as a district's are: the
    # database connection of the process that forked must survive its workers.
    monkeypatch.setattr(batch, "MIN_PARALLEL", 2)
    form = built_in_forms()[key]
    reports = do_generate_batch(
        actor=None, form=form, place=demo.street, day=demo.day, fmt="csv", reason="test"
    )
    places = [r.generation.place.code for r in reports]
    communities = Place.objects.filter(code__startswith=demo.street.code, level="community")
    assert places == [demo.street.code, *communities.values_list("code", flat=True)]
    for report in reports:
        alone = do_generate_report(
            actor=None,
            form=form,
            place=report.generation.place,
            day=demo.day,
            fmt="csv",
            reason="test",
        )
        assert report.content == alone.content
        assert report.generation.checksum == alone.generation.checksum
    assert Generation.objects.filter(via="batch").count() == len(reports)
    assert Place.objects.filter(code=demo.street.code).exists()  # the connection still works
