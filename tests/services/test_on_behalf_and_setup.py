"""Requests on someone's behalf (a grid worker from the register, a guardian for a ward),
set-up checks (hours, rules), weekly wellbeing invitations."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.notifications.models import Notification
from linli.services.models import Professional, ServiceRequest, TriageRule

pytestmark = pytest.mark.django_db


def test_a_grid_worker_files_for_a_resident_of_the_grid_and_follows_its_course(
    scene, make_user, outside
):
    worker = make_user("grid_worker")
    client = Client()
    client.force_login(worker)
    found = client.get(reverse("services:new"), {"q": scene.resident.name}).content.decode()
    assert f"?resident={scene.resident.pk}" in found
    url = reverse("services:new") + f"?resident={scene.resident.pk}"
    answer = client.post(url, {"category": "medicine", "description": "胰岛素快用完"})
    assert answer.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.created_by, request.channel, request.urgency) == (worker, "on_behalf", "urgent")
    page = client.get(reverse("services:case", args=[request.pk]))
    assert page.status_code == 200 and "胰岛素快用完" in page.content.decode()
    # someone outside the grid worker's places cannot be picked
    outside_url = reverse("services:new") + f"?resident={outside.resident.pk}"
    assert client.get(outside_url).status_code == 404


def test_a_guardian_files_for_a_ward_and_no_one_else(scene, outside):
    client = Client()
    client.force_login(scene.guardian)
    assert f"?resident={scene.resident.pk}" in client.get(reverse("services:new")).content.decode()
    url = reverse("services:new") + f"?resident={scene.resident.pk}"
    client.post(url, {"category": "daily", "description": "帮忙买菜", "guardian_consent": "1"})
    assert ServiceRequest.objects.get().created_by == scene.guardian
    other = reverse("services:new") + f"?resident={outside.resident.pk}"
    assert client.get(other).status_code == 404


def test_a_volunteer_guarding_nobody_cannot_file_on_behalf(scene, make_user):
    client = Client()
    client.force_login(make_user("volunteer"))
    assert client.get(reverse("services:new")).status_code == 403


def test_unreadable_hours_and_rules_are_refused_with_the_reason(scene):
    scene.psychologist.hours = "weekdays 9-5"
    with pytest.raises(ValidationError, match="cannot read available hours"):
        scene.psychologist.full_clean()
    rule = TriageRule(
        place=scene.community, kind="keyword", match=" ", raise_to="urgent", reason="x"
    )
    with pytest.raises(ValidationError, match="needs something to match"):
        rule.full_clean()


def test_a_community_rule_raises_urgency_for_that_community(scene):
    from .conftest import file

    TriageRule.objects.create(
        place=scene.community, kind="keyword", match="透析", raise_to="critical", reason="透析中断"
    )
    request = file(scene, category="medical", description="透析机坏了")
    assert request.urgency == "critical" and request.triage_reasons[0] == ["透析中断", "透析"]


def test_frontline_workers_are_invited_weekly_to_check_in(scene, make_user):
    from linli.services.services import do_check_in, do_remind_check_ins

    grid_worker = make_user("grid_worker")
    volunteer = make_user("volunteer")
    do_check_in(actor=volunteer, answers={"phq1": 0, "phq2": 0, "gad1": 0, "gad2": 0})
    invited = do_remind_check_ins(now=timezone.now())
    recipients = set(
        Notification.objects.filter(kind="wellbeing_checkin").values_list("recipient", flat=True)
    )
    assert grid_worker.pk in recipients and scene.guardian.pk in recipients
    assert volunteer.pk not in recipients  # checked in this week
    assert not Professional.objects.filter(user__pk__in=recipients).exists()
    assert do_remind_check_ins(now=timezone.now()) == 0 and invited == len(recipients)


def test_a_frontline_worker_asks_for_help_for_themselves_and_the_secretary_sees_no_words(
    scene, make_user
):
    worker = make_user("grid_worker")
    client = Client()
    client.force_login(worker)
    answer = client.post(
        reverse("services:ask_self"), {"category": "psychological", "description": "连续值守，崩溃"}
    )
    assert answer.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.worker, request.channel, request.urgency) == (worker, "self", "urgent")
    assert request.professional == scene.psychologist
    assert "崩溃" in client.get(reverse("services:case", args=[request.pk])).content.decode()
    # their lead (the secretary may be one) does not see it — until it is escalated to her
    secretary = Client()
    secretary.force_login(scene.secretary)
    case_url = reverse("services:case", args=[request.pk])
    assert secretary.get(case_url).status_code == 403
    assert f"#{request.pk}" not in secretary.get(reverse("services:index")).content.decode()
    from linli.services.models import CaseEscalation

    CaseEscalation.objects.create(
        request=request,
        kind="response",
        level="secretary",
        reason="overdue",
        due_at=request.created_at,
        opened_at=request.created_at,
    )
    page = secretary.get(case_url)
    assert page.status_code == 200 and "崩溃" not in page.content.decode()
    assert f"#{request.pk}" in secretary.get(reverse("services:index")).content.decode()
