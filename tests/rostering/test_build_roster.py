"""Building, publishing and exporting a community roster, on the database."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.domain.rostering.community_rules import violations
from linli.jobs.models import Job
from linli.rostering.models import Notice, Roster, RosterShift
from linli.rostering.problem import problem_for
from linli.rostering.services import RosterError, do_publish_roster, do_start_roster
from tests.rostering.conftest import placements_of

pytestmark = pytest.mark.django_db


def test_a_built_roster_covers_the_needs_and_holds_every_rule(secretary, scene, build):
    roster = build(secretary, scene)
    assert roster.status == "draft", roster.error
    assert Job.objects.get(pk=roster.job_id).status == "succeeded"
    shifts = list(roster.shifts.select_related("shift_type", "checkpoint", "volunteer"))
    # 2 posts x (M, E) + 1 skilled M every day, + a Friday night each week
    assert len(shifts) == 14 * 5 + 2
    assert roster.terms["below_minimum"] == 0 and roster.shortfalls == []
    problem, _index = problem_for(scene.community, roster.start, roster.days)
    assert violations(problem, placements_of(roster)) == []
    for shift in shifts:
        if shift.skill:
            assert "temperature" in shift.volunteer.skills
    assert roster.objective is not None and roster.bound is not None
    assert roster.bound <= roster.objective


def test_a_period_not_starting_on_monday_is_refused_with_the_reason(secretary, scene):
    with pytest.raises(RosterError, match="not a Monday"):
        do_start_roster(
            actor=secretary, community=scene.community, start=scene.start + dt.timedelta(days=1)
        )
    assert not Roster.objects.exists()


def test_an_impossible_rule_set_is_refused_naming_the_rule(secretary, scene):
    rules = scene.community.roster_rules
    rules.max_hours_day = 6
    rules.save()
    with pytest.raises(
        RosterError, match="shift type N: lasts 8 h, longer than the rule.s max 6 h a day"
    ):
        do_start_roster(actor=secretary, community=scene.community, start=scene.start)


def test_an_infeasible_community_gets_explanations_not_a_crash(secretary, scene, build):
    from linli.guardianship.models import Volunteer

    trained = [v.pk for v in Volunteer.objects.all() if "temperature" in v.skills]
    assert len(trained) == 3
    Volunteer.objects.filter(pk__in=trained).update(status="quarantined")
    roster = build(secretary, scene)
    assert roster.status == "draft"
    temperature = [s for s in roster.shortfalls if s["skill"] == "temperature"]
    assert len(temperature) == 14
    assert {s["code"] for s in temperature} == {"nobody_available"}
    client = Client()
    client.force_login(secretary)
    page = client.get(reverse("rostering:roster", args=[roster.pk]), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "nobody trained in temperature is free that day" in body


def test_publishing_tells_every_volunteer_with_shifts(secretary, scene, build):
    roster = build(secretary, scene)
    do_publish_roster(actor=secretary, roster=roster)
    roster.refresh_from_db()
    assert roster.status == "published" and roster.published_at is not None
    working = set(roster.shifts.values_list("volunteer_id", flat=True))
    assert set(Notice.objects.values_list("volunteer_id", flat=True)) == working
    with pytest.raises(RosterError):
        do_publish_roster(actor=secretary, roster=roster)


def test_the_xlsx_grid_reads_back_with_every_shift(secretary, scene, build):
    roster = build(secretary, scene)
    client = Client()
    client.force_login(secretary)
    response = client.post(reverse("rostering:export", args=[roster.pk]), {"reason": "贴公告栏"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[2]]
    assert len(header) == 2 + 14
    assert header[2].startswith(roster.start.strftime("%m-%d"))
    names = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        post, shift = row[0], row[1]
        for day, cell in enumerate(row[2:]):
            for name in (cell or "").split("\n"):
                if name:
                    names[post, shift, day, name] = True
    expected = {
        (s.checkpoint.name, str(s.shift_type), (s.day - roster.start).days, s.volunteer.name)
        for s in RosterShift.objects.filter(roster=roster).select_related(
            "checkpoint", "shift_type", "volunteer"
        )
    }
    assert set(names) == expected


def test_the_build_page_starts_a_job_and_shows_its_progress(secretary, scene, eager):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("rostering:build", args=[scene.community.code]),
        {"start": scene.start.isoformat(), "days": "7"},
    )
    assert response.status_code == 302
    job = Job.objects.get(kind="rostering.build")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    bad = client.post(
        reverse("rostering:build", args=[scene.community.code]),
        {"start": "not a date", "days": "7"},
        follow=True,
    )
    assert bad.status_code == 200
    assert Job.objects.filter(kind="rostering.build").count() == 1


def test_a_volunteer_with_an_account_gets_it_in_the_notifications_inbox(
    secretary, scene, build, make_user, django_capture_on_commit_callbacks
):
    from linli.notifications.models import Notification

    roster = build(secretary, scene)
    working = roster.shifts.values_list("volunteer", flat=True).first()
    account = make_user("volunteer")
    scene.volunteers[0].__class__.objects.filter(pk=working).update(account=account)
    with django_capture_on_commit_callbacks(execute=True):
        do_publish_roster(actor=secretary, roster=roster)
    note = Notification.objects.get(recipient=account)
    assert note.kind == "roster_changed" and note.link == reverse("rostering:my_shifts")
