"""Issue 18, item 7: ``/screening/reports/<code>/0001-01-01/`` raised OverflowError (a 500,
Django's debug page with DEBUG on). Every day typed into a URL or a form is now read by
``linli.common.dates``: out of range is a 404 in a URL and a clear error in a form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import linli
from linli.common.dates import DayError, parse_day, parse_moment

SRC = Path(linli.__file__).resolve().parent
OUT_OF_RANGE = ["0001-01-01", "0001-01-14", "1999-12-31", "2100-01-01", "9999-12-31"]
NOT_DATES = ["2026-02-30", "2026-13-01", "0000-00-00"]


@pytest.fixture
def client_of(make_user, inside):
    def make(role: str) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(make_user(role))
        return client

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("day", OUT_OF_RANGE + NOT_DATES)
def test_a_daily_report_of_a_day_out_of_range_is_not_found(client_of, inside, day):
    client = client_of("community_secretary")
    url = f"/screening/reports/{inside.community.code}/{day}/"
    assert client.get(url).status_code == 404
    assert client.post(url + "submit/", {"action": "save"}).status_code == 404
    assert client.get(f"/screening/reports/{inside.community.code[:6]}/{day}/").status_code == 404


@pytest.mark.django_db
def test_a_daily_report_of_a_real_day_still_opens(client_of, inside):
    client = client_of("community_secretary")
    day = "2026-11-30"
    assert client.get(f"/screening/reports/{inside.community.code}/{day}/").status_code == 200
    response = client.post(
        f"/screening/reports/{inside.community.code}/{day}/submit/", {"action": "save"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/{day}/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "status"), [("0001-01-01", 404), ("9999-12-31", 404), ("2026-11-30", 200)]
)
def test_a_form_file_of_a_day_out_of_range_is_not_found(client_of, inside, day, status):
    client = client_of("community_secretary")
    url = f"/reports/civil_affairs/{inside.community.code}/{day}.xlsx"
    assert client.get(url).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_quarantine_starting_out_of_range_is_refused_with_the_reason(client_of, inside, day):
    from linli.screening.models import Quarantine

    client = client_of("community_secretary")
    response = client.post(
        reverse("screening:quarantine_start", kwargs={"pk": inside.resident.pk}),
        {"kind": "home", "start": day},
        follow=True,
    )
    assert response.status_code == 200
    assert "2000-01-01" in response.content.decode()  # the message names the range
    assert not Quarantine.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_roster_starting_out_of_range_is_refused(client_of, inside, day):
    client = client_of("community_secretary")
    response = client.post(
        reverse("rostering:build", kwargs={"code": inside.community.code}),
        {"start": day, "days": "14"},
    )
    assert response.status_code in {200, 302}


def test_the_parsers_name_the_range():
    assert parse_day("2026-03-02").isoformat() == "2026-03-02"
    for text in OUT_OF_RANGE + NOT_DATES + ["", "tomorrow"]:
        with pytest.raises(DayError, match="2000-01-01"):
            parse_day(text)
    with pytest.raises(DayError):
        parse_moment("0001-01-01T00:00")
    assert parse_moment("2026-03-02T08:00").hour == 8


def test_no_view_parses_dates_by_itself():
    """Outside the pure domain rules and the demo's own data, dates are read through
    linli.common.dates only, so none can reach the day arithmetic unbounded."""
    pattern = re.compile(r"(date|datetime)\.fromisoformat\(|strptime\(")
    readers = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text())
        and path.relative_to(SRC).parts[0] not in {"domain", "demo"}
        and path.relative_to(SRC) != Path("common/dates.py")
    ]
    assert readers == []
