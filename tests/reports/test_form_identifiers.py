"""Issue 18, item 3: a department template with a column ``value: id_number`` put full ID
numbers into the upload preview and into the csv/xlsx files a task-force lead and a grid
worker downloaded, with no reveal recorded and the generation logged as ``full_id=0``.
The same requests, now: templates see identifiers only through the masking rule, and the
log and the reveals say what each file holds."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.reports.models import FormDefinition, Generation
from tests.common.id_attack import leak_report, texts_of, windows
from tests.common.synthetic import load_population
from tests.conftest import IN_COMMUNITY

pytestmark = pytest.mark.django_db

RAW = """
name: 人员身份核对表
department: 某部门
title: "{place}人员身份核对表"
dataset: people
columns:
  - {header: 序号, value: serial}
  - {header: 姓名, value: name}
  - {header: 身份证号, value: id_number}
  - {header: 再写一遍, value: join(id_number)}
  - {header: 出生日期, value: date(birth_date)}
  - {header: 性别, value: sex}
  - {header: 电话, value: phone}
"""


@pytest.fixture
def people(db):
    """300 generated residents, each listed by the people dataset (a category in force)."""
    from linli.register.models import Resident, Vulnerability

    residents = load_population(IN_COMMUNITY, population=300, seed=3)
    Vulnerability.objects.bulk_create(
        Vulnerability(resident=r, category="subsistence", source="civil_affairs") for r in residents
    )
    return list(Resident.objects.filter(pk__in=[r.pk for r in residents]).select_related("place"))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(people, code: str = IN_COMMUNITY) -> list:
    """The people with an ID number under ``code`` (all are listed by the people dataset)."""
    return [p for p in people if p.id_number and p.place.code.startswith(code)]


def reveals() -> int:
    return LogEntry.objects.filter(changes__has_key="revealed").count()


def download(user, key: str, fmt: str) -> bytes:
    """The form for the user's own place (a grid worker's grid), with a reason."""
    day = timezone.localdate().isoformat()
    url = reverse("reports:download", args=[key, user.place.code, day, fmt])
    response = client_for(user).post(url, {"reason": "核对"})
    assert response.status_code == 200
    return response.content


def save(secretary, source: str) -> FormDefinition:
    client_for(secretary).post(
        reverse("reports:upload"), {"source": source, "place": IN_COMMUNITY, "save": "on"}
    )
    return FormDefinition.objects.latest("pk")


def test_a_template_reading_the_raw_id_number_gets_the_mask(make_user, people):
    shown = listed(people)
    assert len(shown) > 200
    secretary = make_user("community_secretary")
    # The upload preview (a secretary, who may reveal, but a preview has no reason).
    preview = client_for(secretary).post(
        reverse("reports:upload"), {"source": RAW, "place": IN_COMMUNITY}
    )
    assert preview.status_code == 200 and 'id="preview"' in preview.content.decode()
    assert leak_report(preview.content.decode(), shown)["full"] == 0
    definition = save(secretary, RAW)
    # Downloaded by a task-force lead (may not reveal) and a grid worker (may, but the
    # template does not ask for full numbers): masked, logged so, nothing revealed.
    for role in ("taskforce_lead", "grid_worker"):
        user = make_user(role)
        mine = listed(people, user.place.code)
        assert len(mine) > 20
        for fmt in ("csv", "xlsx", "hxl"):
            text = texts_of(download(user, definition.key, fmt), fmt)
            found = leak_report(text, shown)
            assert found["full"] == 0 and found["rebuilt"] == 0
            assert found["masked"] >= len(mine) and found["fewest"] == 500
    assert not Generation.objects.filter(full_id=True).exists()
    assert Generation.objects.count() == 6 and reveals() == 0


def test_phones_in_a_form_follow_the_reader(make_user, people):
    shown = [p for p in listed(people) if p.phone]
    definition = save(make_user("community_secretary"), RAW)
    lead = texts_of(download(make_user("taskforce_lead"), definition.key, "csv"), "csv")
    assert not [p for p in shown if p.phone in lead]
    worker = make_user("grid_worker")  # calls residents: sees their phones
    text = texts_of(download(worker, definition.key, "csv"), "csv")
    assert [p for p in shown if p.phone in text]


def test_full_numbers_only_when_asked_and_allowed_and_then_logged_and_revealed(make_user, people):
    shown = listed(people)
    definition = save(make_user("community_secretary"), "full_id: true\n" + RAW)
    lead = make_user("taskforce_lead")
    assert leak_report(texts_of(download(lead, definition.key, "xlsx"), "xlsx"), shown)["full"] == 0
    assert Generation.objects.get().full_id is False and reveals() == 0

    worker = make_user("grid_worker")
    mine = listed(people, worker.place.code)
    in_file = windows(texts_of(download(worker, definition.key, "csv"), "csv"))
    numbers = {p.id_number for p in shown}
    assert in_file & numbers == {p.id_number for p in mine}  # the grid's, in full
    generation = Generation.objects.latest("pk")
    assert generation.full_id is True
    revealed = LogEntry.objects.filter(actor=worker, changes__has_key="revealed")
    assert {int(e.object_pk) for e in revealed} == {p.pk for p in mine}
    assert all("核对" in e.changes_dict["revealed"][1] for e in revealed)
