"""Officers' roll-ups are cached per place and day, and a community's submission clears
its own and every place's above it, so the next page shows the new figures."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.screening import selectors, services
from linli.screening.ingest import do_record_screenings

pytestmark = pytest.mark.django_db


def report_queries(captured) -> int:
    return sum("screening_dailyreport" in q["sql"] for q in captured.captured_queries)


def test_a_submission_clears_the_cached_rollups_above_it(
    inside, secretary, grid_worker, make_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    client = Client()
    client.force_login(make_user("district_officer"))
    page = f"/screening/reports/{inside.community.code[:6]}/{today.isoformat()}/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(page).context["figures"].screened == 0
    with CaptureQueriesContext(connection) as again:
        answer = client.get(page)
    assert answer.context["figures"].screened == 0
    # figures, rows and missing communities from the cache (the 14-day trend is not cached)
    assert report_queries(first) - report_queries(again) == 3

    do_record_screenings(
        actor=grid_worker,
        records=[{"client_id": uuid.uuid4().hex, "household": inside.household.pk}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.do_submit_report(actor=secretary, community=inside.community, day=today)
    fresh = client.get(page).context
    assert fresh["figures"].screened == 1
    assert inside.community not in fresh["missing"]
    street = inside.community.parent
    assert selectors.rollup(street, today).screened == 1


def test_a_submission_elsewhere_keeps_this_districts_cache(inside, outside, make_user):
    today = timezone.localdate()
    district = inside.community.parent.parent
    selectors.rollup(district, today)
    selectors.forget_rollups(outside.community.code, today)
    if outside.community.code[:6] != inside.community.code[:6]:
        with CaptureQueriesContext(connection) as again:
            selectors.rollup(district, today)
        assert report_queries(again) == 0
