"""Case notes reach only the professional on the case, their team lead, and the person's
guardian where the person agreed (shareable notes; psychological ones only with the further
consent). Every other role — in the place or outside it — sees none, on every page and API
answer; every read is audited."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from linli.services.services import do_add_note, do_take_case
from tests.conftest import OUT_COMMUNITY, ROLE_PLACES

from .conftest import T0, file

pytestmark = pytest.mark.django_db

PRIVATE = "私密心理记录-甲"
SHARED_PRACTICAL = "请家属每天陪她散步-甲"
SHARED_PSYCH = "焦虑评估细节-甲"


def case_with_notes(scene, **consent):
    request = file(scene, **consent)
    user = scene.psychologist.user
    do_take_case(actor=user, request=request, now=T0)
    do_add_note(actor=user, request=request, text=PRIVATE, now=T0)
    do_add_note(
        actor=user, request=request, text=SHARED_PRACTICAL, shareable=True, psychological=False
    )
    do_add_note(actor=user, request=request, text=SHARED_PSYCH, shareable=True, psychological=True)
    return request


def bodies(user, request) -> str:
    client = Client()
    client.force_login(user)
    pages = [
        client.get(reverse("services:case", args=[request.pk])),
        client.get(reverse("services:index")),
        client.get(reverse("api:get_service_request", kwargs={"request_id": request.pk})),
    ]
    if user.can("view_service_dashboard"):
        pages.append(client.get(reverse("services:dashboard")))
    return "".join(p.content.decode() for p in pages)


def seen(text):
    return [note for note in (PRIVATE, SHARED_PRACTICAL, SHARED_PSYCH) if note in text]


def test_the_professional_and_the_team_lead_read_every_note(scene):
    request = case_with_notes(scene)
    assert seen(bodies(scene.psychologist.user, request)) == [
        PRIVATE,
        SHARED_PRACTICAL,
        SHARED_PSYCH,
    ]
    assert seen(bodies(scene.lead.user, request)) == [PRIVATE, SHARED_PRACTICAL, SHARED_PSYCH]


@pytest.mark.parametrize(
    ("consent", "expected"),
    [
        ({}, []),
        ({"guardian_consent": "1"}, [SHARED_PRACTICAL]),
        ({"guardian_consent": "1", "psych_consent": "1"}, [SHARED_PRACTICAL, SHARED_PSYCH]),
    ],
)
def test_the_guardian_reads_only_what_the_person_agreed_to(scene, consent, expected):
    request = case_with_notes(scene, **consent)
    assert seen(bodies(scene.guardian, request)) == expected


@pytest.mark.parametrize("role", list(ROLE_PLACES))
@pytest.mark.parametrize("where", ["inside", "outside"])
def test_no_other_role_in_or_out_of_place_reads_a_note(scene, make_user, role, where):
    request = case_with_notes(scene, guardian_consent="1", psych_consent="1")
    place = None if where == "inside" else OUT_COMMUNITY[: len(ROLE_PLACES[role])]
    if where == "outside" and ROLE_PLACES[role] == "5101":
        place = "5101"  # city-wide roles have no outside; they are the inside case again
    user = make_user(role, place)
    assert seen(bodies(user, request)) == []


def test_another_professional_of_the_team_reads_no_note_and_cannot_write_one(scene):
    request = case_with_notes(scene)
    client = Client()
    client.force_login(scene.doctor.user)
    assert client.get(reverse("services:case", args=[request.pk])).status_code == 403
    answer = client.post(reverse("services:note", args=[request.pk]), {"text": "x"})
    assert answer.status_code == 403
    assert request.notes.count() == 3


def test_the_secretary_sees_the_course_of_a_psychological_case_but_not_its_words(scene):
    request = case_with_notes(scene)
    client = Client()
    client.force_login(scene.secretary)
    page = client.get(reverse("services:case", args=[request.pk])).content.decode()
    assert "联系中" in page and "心里很乱" not in page and not seen(page)


def test_every_read_of_a_note_is_audited_without_its_text(scene):
    request = case_with_notes(scene, guardian_consent="1")
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    bodies(scene.guardian, request)
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)[:10]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1
    assert reads and all(e.actor == scene.guardian or e.actor is not None for e in reads)
    for entry in LogEntry.objects.all():
        text = str(entry.changes)
        assert not seen(text) and "心里很乱" not in text


def test_the_words_that_raised_the_urgency_stay_out_of_the_log_and_the_api(scene):
    request = file(scene, description="我真的活不下去了")
    client = Client()
    client.force_login(scene.secretary)
    answer = client.get(reverse("api:get_service_request", kwargs={"request_id": request.pk}))
    assert answer.json()["triage_reasons"] == ["self_harm", "high_risk"]
    assert "活不下去" not in answer.content.decode()
    page = client.get(reverse("services:case", args=[request.pk])).content.decode()
    assert "活不下去" not in page and "自伤或自杀" in page
    assert not any("活不下去" in str(e.changes) for e in LogEntry.objects.all())
