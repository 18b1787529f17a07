"""Every trigger repairs the plan by itself, through the one entry point
(``do_replan_community``), and the coverage page says when and why it last re-planned.

Each test takes the path a person takes (the page, the upload, the command line) and
checks the plan right after, with no "plan again" in between."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from linli.domain import idcard
from linli.guardianship.models import Assignment, CoverageSnapshot, Gap, Trigger
from linli.guardianship.replan import do_replan_community
from linli.register.models import Resident, Ward

pytestmark = pytest.mark.django_db


def roles(ward) -> dict[str, int]:
    return {a.role: a.volunteer_id for a in Assignment.objects.filter(ward=ward)}


def last(community) -> CoverageSnapshot:
    return CoverageSnapshot.objects.filter(community=community).latest()


@pytest.fixture
def client(secretary) -> Client:
    client = Client()
    client.force_login(secretary)
    return client


@pytest.fixture
def outsider(inside, add_volunteer, second_compound):
    """The ward's only active guardian lives in another compound and holds no pass."""
    inside.volunteer.status = "withdrawn"
    inside.volunteer.save()
    volunteer = add_volunteer("甲外面", compound=second_compound)
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=None)
    assert roles(inside.ward) == {"primary": volunteer.pk}
    return volunteer


def test_sealing_from_the_page_cuts_the_outsider_off_and_says_why(
    client, inside, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("places:seal", args=[inside.compound.code]), {"action": "seal"}
        )
    assert response.status_code == 302
    assert roles(inside.ward) == {}
    assert set(Gap.objects.filter(ward=inside.ward).values_list("role", flat=True)) == {
        "primary",
        "backup",
    }
    snapshot = last(inside.community)
    assert (snapshot.trigger, snapshot.about) == (Trigger.SEALED, "甲花园")
    page = client.get(reverse("guardianship:coverage", args=[inside.community.code]))
    assert "原因：甲花园 实行封闭管理" in page.content.decode()
    with override("en"):
        assert snapshot.reason == "compound 甲花园 was sealed"


def test_unsealing_from_the_page_brings_the_outsider_back(client, inside, outsider):
    url = reverse("places:seal", args=[inside.compound.code])
    client.post(url, {"action": "seal"})
    assert roles(inside.ward) == {}
    client.post(url, {"action": "unseal"})
    assert roles(inside.ward) == {"primary": outsider.pk}
    assert last(inside.community).trigger == Trigger.UNSEALED


def test_a_volunteer_falling_sick_hands_their_ward_to_the_other(client, inside, add_volunteer):
    second = add_volunteer("甲二号")
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=None)
    primary = roles(inside.ward)["primary"]
    other = second.pk if primary == inside.volunteer.pk else inside.volunteer.pk
    client.post(reverse("guardianship:set_status", args=[primary]), {"status": "sick"})
    assert roles(inside.ward) == {"primary": other}
    snapshot = last(inside.community)
    assert (snapshot.trigger, snapshot.about) == (Trigger.VOLUNTEER_STATUS, "sick")
    with override("en"):
        assert snapshot.reason == "a volunteer's status became “Sick”"
    page = client.get(reverse("guardianship:coverage", args=[inside.community.code]))
    assert "一名志愿者的状态变为“生病”" in page.content.decode()


def test_a_home_quarantine_gives_the_new_ward_a_guardian_at_once(client, inside):
    lodger = Resident.objects.create(place=inside.building, household=inside.household, name="租客")
    start = reverse("screening:quarantine_start", args=[lodger.pk])
    assert client.post(start, {"kind": "home"}).status_code == 302
    ward = Ward.objects.get(resident=lodger)
    assert roles(ward)["primary"] == inside.volunteer.pk
    assert last(inside.community).trigger == Trigger.QUARANTINE_STARTED

    quarantine = lodger.quarantines.get()
    client.post(reverse("screening:quarantine_release", args=[quarantine.pk]))
    assert not Ward.objects.filter(resident=lodger).exists()
    assert last(inside.community).trigger == Trigger.QUARANTINE_ENDED
    assert (
        Assignment.objects.filter(volunteer=inside.volunteer, role="primary").count() == 1
    )  # the old ward's only


def newcomer_file() -> tuple[str, bytes]:
    """A register file with one new resident, a ward (a risk level) in 甲花园."""
    number = idcard.make("510107", dt.date(1941, 2, 3), 5, idcard.FEMALE)
    return number, f"姓名,身份证号,住址,风险等级\n王奶奶,{number},甲花园1栋1单元101室,高\n".encode()


def test_an_accepted_register_upload_gives_its_new_wards_guardians(
    client, inside, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from linli.register.models import ImportRun

    settings.LINLI_JOBS = "eager"
    number, content = newcomer_file()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("register:import_upload"),
            {"file": SimpleUploadedFile("民政台账.csv", content), "source": "民政"},
        )
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register:import_accept", args=[run.pk]))
    ward = Ward.objects.get(resident__id_number=number)
    assert roles(ward)["primary"] == inside.volunteer.pk
    snapshot = last(inside.community)
    assert (snapshot.trigger, snapshot.about) == (Trigger.WARDS_IMPORTED, "民政台账.csv")


def test_an_import_from_the_command_line_gives_its_new_wards_guardians(inside, tmp_path, capsys):
    from linli.cli import main

    number, content = newcomer_file()
    path = tmp_path / "台账.csv"
    path.write_bytes(content)
    assert main(["import", "residents", str(path), "--community", inside.community.code]) == 0
    ward = Ward.objects.get(resident__id_number=number)
    assert roles(ward)["primary"] == inside.volunteer.pk
    assert last(inside.community).trigger == Trigger.WARDS_IMPORTED
    assert "已重新规划监护人" in capsys.readouterr().out


def test_the_coverage_page_says_when_and_why_in_both_languages(client, inside):
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=None)
    url = reverse("guardianship:coverage", args=[inside.community.code])
    page = client.get(url).content.decode()
    assert "最近一次重新规划于" in page and "原因：有人手动要求重新规划" in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Last re-planned" in page and "because a new plan was asked for by hand" in page


def test_an_older_snapshot_keeps_its_own_words(inside):
    snapshot = CoverageSnapshot.objects.create(community=inside.community, trigger="plan_place job")
    assert snapshot.reason == "plan_place job"


def test_a_pin_from_the_page_re_plans_and_a_refused_pin_writes_nothing(
    client, inside, outside, add_volunteer
):
    from auditlog.models import LogEntry

    far = add_volunteer("甲远")
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=None)
    pin = reverse("guardianship:pin", args=[inside.ward.pk])
    client.post(pin, {"role": "backup", "volunteer": far.pk})
    assert roles(inside.ward)["backup"] == far.pk
    assert Assignment.objects.get(ward=inside.ward, role="backup").pinned
    assert last(inside.community).trigger == Trigger.PINNED

    far.status = "sick"
    far.save()  # (not through the service: the plan in force still has them)
    before = (roles(inside.ward), LogEntry.objects.count(), CoverageSnapshot.objects.count())
    response = client.post(pin, {"role": "primary", "volunteer": far.pk}, follow=True)
    assert "该志愿者无法服务此监护对象" in response.content.decode()
    assert (
        roles(inside.ward),
        LogEntry.objects.count(),
        CoverageSnapshot.objects.count(),
    ) == before
    from linli.guardianship.services import GuardianshipError, do_pin_guardian

    with override("en"), pytest.raises(GuardianshipError, match="same community"):
        do_pin_guardian(actor=None, ward=inside.ward, role="primary", volunteer=outside.volunteer)
    assert roles(inside.ward) == before[0]
