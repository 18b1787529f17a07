"""Scheduled forms: created on the page, delivered once a day at their time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.common.audit import exports_of
from linli.jobs.schedule import PERIODIC
from linli.notifications.models import Notification
from linli.reports.models import Generation, Schedule
from linli.reports.schedules import run_due_schedules

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_a_schedule_delivers_once_a_day_after_its_time(demo, make_user):
    officer = make_user("street_officer")
    client = Client()
    client.force_login(officer)
    response = client.post(
        reverse("reports:schedule"),
        {"form": "street_daily", "place": demo.street.code, "at": "09:30", "fmt": "xlsx"},
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get()
    assert (schedule.place, schedule.at, schedule.created_by) == (
        demo.street,
        dt.time(9, 30),
        officer,
    )
    assert "reports.scheduled" in PERIODIC

    day = demo.day
    assert run_due_schedules(at(day, 9, 0)) == 0  # not yet
    assert run_due_schedules(at(day, 9, 31)) == 1
    assert run_due_schedules(at(day, 10, 0)) == 0  # once a day
    generation = Generation.objects.get()
    assert (generation.via, generation.actor, generation.day) == ("schedule", officer, day)
    note = Notification.objects.get(recipient=officer)
    assert note.kind == "report" and generation.checksum[:12] in note.body
    assert note.link == reverse(
        "reports:download", args=["street_daily", demo.street.code, day.isoformat(), "xlsx"]
    )
    (delivered,) = exports_of(generation)
    assert (delivered.actor, delivered.additional_data["reason"]) == (
        officer,
        f"schedule {schedule.pk}",
    )
    # The link asks the reader why before it gives the file, and records their reason.
    opened = client.get(note.link)
    assert opened.status_code == 200 and 'name="reason"' in opened.content.decode()
    assert Generation.objects.count() == 1
    assert client.post(note.link, {"reason": "晨会"}).status_code == 200
    read = Generation.objects.order_by("-pk").first()
    assert (read.via, exports_of(read).get().additional_data["reason"]) == ("web", "晨会")
    assert run_due_schedules(at(day + dt.timedelta(days=1), 9, 45)) == 1
    assert Generation.objects.filter(via="schedule").count() == 2
    log_page = client.get(reverse("reports:log")).content.decode()
    assert 'id="schedules"' in log_page and "09:30" in log_page


def test_a_schedule_for_a_place_outside_scope_is_refused(demo, make_user):
    client = Client()
    client.force_login(make_user("community_secretary"))
    response = client.post(
        reverse("reports:schedule"),
        {"form": "street_daily", "place": demo.communities[1].code, "at": "09:30", "fmt": "csv"},
    )
    assert response.status_code == 302 and not Schedule.objects.exists()
