"""Issue 18, item 2: a district officer paged through ``GET /api/register/residents`` and
rebuilt full ID numbers from the mask and the birth date beside it (the old mask hid
exactly the 8 birth-date digits), with phones, and no audit row was written; the
``id_number__endswith`` search answered digit by digit. The same requests, now."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.common.id_attack import candidates
from tests.common.synthetic import load_population
from tests.conftest import IN_COMMUNITY

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return load_population(IN_COMMUNITY, population=400, seed=18)


def reads_by(user) -> list[LogEntry]:
    """Audit entries of reads (not reveals, not exports) made by ``user``."""
    return list(
        LogEntry.objects.filter(actor=user, action=LogEntry.Action.ACCESS)
        .filter(changes__has_key="read")
        .order_by("pk")
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_paging_the_api_rebuilds_no_id_number_and_every_page_is_audited(make_user, people):
    officer = make_user("district_officer")
    client = client_for(officer)
    items, requests, offset = [], 0, 0
    while True:
        page = client.get("/api/register/residents", {"limit": 100, "offset": offset}).json()
        requests += 1
        items += page["items"]
        offset += 100
        if offset >= page["count"]:
            break
    by_pk = {p.pk: p for p in people}
    assert len(items) == len(people) and requests == 4
    rebuilt, fewest, phones_in_clear = 0, 10**9, 0
    for item in items:
        person = by_pk[item["id"]]
        if not person.id_number:
            continue
        # The attack: the mask, with the birth date and sex answered beside it.
        birth = dt.date.fromisoformat(item["birth_date"]) if item["birth_date"] else None
        left = candidates(
            item["id_number_masked"],
            area=person.id_number[:6],
            birth_date=birth,
            sex=item["sex"] or None,
        )
        rebuilt += left == 1
        fewest = min(fewest, left)
        phones_in_clear += bool(person.phone) and item["phone"] == person.phone
    assert rebuilt == 0 and fewest == 500
    assert phones_in_clear == 0  # an officer may not reveal: phones masked too
    # One audit row per request: who, which fields, how many rows.
    reads = reads_by(officer)
    assert len(reads) == requests
    assert all(r.actor == officer for r in reads)
    assert sum(r.additional_data["rows"] for r in reads) == len(people)
    assert "phone:masked" in reads[0].additional_data["fields"]
    assert "id_number:masked" in reads[0].additional_data["fields"]


def test_searching_by_id_digits_is_refused_to_who_may_not_reveal(make_user, people):
    target = next(p for p in people if p.id_number)
    officer = client_for(make_user("district_officer"))
    # The oracle: does anybody's number end with these digits? One more digit each time.
    for digits in (target.id_number[-1:], target.id_number[-4:], target.phone[-4:]):
        answer = officer.get("/api/register/residents", {"q": digits})
        assert answer.status_code == 403
        assert "digits" in answer.json()["detail"]
        page = officer.get(reverse("register:list"), {"q": digits}, HTTP_ACCEPT_LANGUAGE="en")
        body = page.content.decode()
        assert 'id="search-refused"' in body and target.name not in body


def test_who_may_reveal_still_finds_by_id_digits_and_the_search_is_recorded(make_user, people):
    target = next(p for p in people if p.id_number)
    secretary = make_user("community_secretary")
    client = client_for(secretary)
    found = client.get("/api/register/residents", {"q": target.id_number[-6:]}).json()
    assert target.pk in [i["id"] for i in found["items"]]
    page = client.get(reverse("register:list"), {"q": target.id_number[-6:]}).content.decode()
    assert target.name in page
    searches = [r for r in reads_by(secretary) if r.additional_data["searched"] == "digits"]
    assert len(searches) == 2 and all(r.actor == secretary for r in searches)
