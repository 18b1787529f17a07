"""End to end with a controllable clock: a critical request nobody can take escalates to the
team lead and then the community secretary within its 15-minute limit, once each."""

import datetime as dt

import pytest

from linli.notifications.models import Notification
from linli.services.models import CaseEscalation
from linli.services.services import do_escalate_cases, do_take_case

from .conftest import T0, file

pytestmark = pytest.mark.django_db


def minutes(m):
    return T0 + dt.timedelta(minutes=m)


def test_a_critical_request_with_no_available_professional_escalates_within_its_limit(scene):
    scene.psychologist.active = False
    scene.psychologist.save()
    scene.lead.load_limit = 0
    scene.lead.save()
    request = file(scene, description="不想活了")
    assert request.urgency == "critical" and request.queue_reason == "outside_hours"

    assert do_escalate_cases(now=minutes(7)) == 0
    assert do_escalate_cases(now=minutes(7.5)) == 1
    lead_note = Notification.objects.get(kind="service_overdue")
    assert lead_note.recipient == scene.lead.user
    assert "nobody could take it" in lead_note.title
    assert do_escalate_cases(now=minutes(8)) == 0  # once per rung, however often the job runs

    assert do_escalate_cases(now=minutes(15)) == 1
    secretary_note = Notification.objects.filter(kind="service_overdue").latest("pk")
    assert secretary_note.recipient == scene.secretary
    rungs = list(CaseEscalation.objects.values_list("kind", "level", "opened_at"))
    assert rungs == [("response", "lead", minutes(7.5)), ("response", "secretary", minutes(15))]
    assert all(opened <= minutes(15) for *_, opened in rungs)


def test_the_periodic_job_runs_the_escalation(scene, settings):
    from linli.jobs.models import Job
    from linli.jobs.runner import enqueue, run
    from linli.jobs.schedule import PERIODIC

    assert PERIODIC["services.escalate"] <= 60  # a minute of lateness at most
    scene.team.communities.clear()
    file(scene, description="想自杀")
    job = enqueue(
        "services.escalate",
        actor=None,
        place=scene.community,
        params={"now": minutes(20).isoformat()},
    )
    run(job.pk)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded" and job.result == {"assigned": 0, "escalations": 2}


def test_a_waiting_request_is_assigned_when_someone_comes_on_duty(scene):
    from linli.services.services import do_route_queued

    scene.psychologist.hours = "1-5 08:00-12:00"  # Beijing time; T0 is Monday 18:00
    scene.psychologist.save()
    request = file(scene)
    assert request.queue_reason == "outside_hours"
    assert do_route_queued(now=minutes(60)) == 0
    tuesday_9 = T0 + dt.timedelta(hours=15)
    assert do_route_queued(now=tuesday_9) == 1
    request.refresh_from_db()
    assert request.professional in (scene.psychologist, scene.lead) and request.status == "assigned"


def test_closing_a_case_gives_the_waiting_one_to_the_freed_professional(
    scene, django_capture_on_commit_callbacks
):
    from linli.services.services import do_close_case

    for p in (scene.psychologist, scene.lead):
        p.load_limit = 1
        p.hours = "1-7 00:00-24:00"
        p.save()
    first, second = file(scene), file(scene)
    waiting = file(scene)
    assert waiting.queue_reason == "at_load_limit"
    with django_capture_on_commit_callbacks(execute=True):
        do_close_case(actor=first.professional.user, request=first, outcome="好转", now=minutes(30))
    waiting.refresh_from_db()
    assert waiting.professional == first.professional and second.professional != first.professional


def test_a_first_response_in_time_stops_the_response_escalation(scene):
    request = file(scene, description="不想活了")
    do_take_case(actor=scene.psychologist.user, request=request, now=minutes(10))
    assert do_escalate_cases(now=minutes(30)) == 0
    # resolution is still watched: 24 h for critical
    assert do_escalate_cases(now=minutes(24 * 60)) == 1
    assert CaseEscalation.objects.get().kind == "resolution"
