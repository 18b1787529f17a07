"""Intake: triage raises urgency and says why, routing assigns or queues with a reason, a
critical request tells the on-duty lead at once; bad input is refused whole."""

import datetime as dt

import pytest

from linli.notifications.models import Notification
from linli.services.models import ServiceRequest
from linli.services.services import ServiceError, do_create_request

from .conftest import T0, file

pytestmark = pytest.mark.django_db


def test_self_harm_words_make_it_critical_routed_to_the_psychologist_and_the_lead_told(
    scene, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = file(scene, description="隔离第十天，觉得活不下去了")
    assert request.urgency_asked == "normal" and request.urgency == "critical"
    assert request.triage_reasons[0] == ["self_harm", "活不下去"]
    # the psychologist is the least-loaded qualified one (the lead is off duty at 18:00)
    assert (request.professional, request.status) == (scene.psychologist, "assigned")
    told = Notification.objects.filter(kind="service_critical")
    assert [n.recipient for n in told] == [scene.lead.user]
    assert Notification.objects.filter(kind="service_assigned", recipient=scene.psychologist.user)


def test_the_quarantine_flag_and_risk_raise_a_daily_request(scene):
    request = file(scene, description="需要买菜", category="daily")
    # the ward is high-risk in the register
    assert request.urgency == "urgent"
    assert request.triage_reasons == [["high_risk", "high_risk"]]
    # nobody in the team is a social worker
    assert request.professional is None and request.queue_reason == "no_qualified"


def test_least_load_wins_and_a_full_professional_queues_the_next(scene):
    scene.lead.hours = "1-7 00:00-24:00"
    scene.lead.save()
    first = file(scene)
    second = file(scene)
    assert {first.professional, second.professional} == {scene.psychologist, scene.lead}
    scene.psychologist.load_limit = 1
    scene.psychologist.save()
    scene.lead.load_limit = 1
    scene.lead.save()
    third = file(scene)
    assert third.professional is None and third.queue_reason == "at_load_limit"


def test_no_team_and_critical_tells_the_community_secretary(
    scene, django_capture_on_commit_callbacks
):
    scene.team.communities.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = file(scene, description="他说想自杀")
    assert request.queue_reason == "no_team" and request.team is None
    assert [n.recipient for n in Notification.objects.filter(kind="service_critical")] == [
        scene.secretary
    ]


def test_outside_hours_queues_with_the_reason(scene):
    scene.psychologist.hours = "1-5 09:00-17:00"
    scene.psychologist.save()
    request = file(scene, now=T0 + dt.timedelta(days=5))  # Saturday evening
    assert request.queue_reason == "outside_hours"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "haircut", "description": "x"}, "Category: “haircut” is not one of"),
        ({"category": "daily", "description": "  "}, "Description: say what help is needed"),
        ({"category": "daily", "description": "x", "urgency": "now"}, "Urgency: “now”"),
        ({"category": "daily", "description": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(scene, fields, message):
    with pytest.raises(ServiceError, match=message):
        do_create_request(actor=None, place=scene.community, channel="link", fields=fields, now=T0)
    assert not ServiceRequest.objects.exists()


def test_psychological_consent_needs_the_guardian_consent(scene):
    request = file(scene, psych_consent="1")
    assert (request.guardian_consent, request.psych_consent) == (False, False)
