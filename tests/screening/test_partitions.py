"""Screenings partitioned by day on PostgreSQL: the migration's partitions, the daily job
that makes the next days', retention by dropping whole days (the same people gone as on
SQLite's plain table), and a day's roll-up reading that day's partition only."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from linli.jobs.runner import enqueue
from linli.register.retention import apply_retention
from linli.screening import partitions
from linli.screening.ingest import do_record_screenings
from linli.screening.models import Screening

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)


def record(actor, household, day: dt.date, *, resident=None, client_id=None):
    raw = {"client_id": client_id or uuid.uuid4().hex, "household": household.pk}
    if resident is not None:
        raw["resident"] = resident.pk
    raw["day"] = day.isoformat()
    [outcome] = do_record_screenings(actor=actor, records=[raw], today=day)
    assert outcome.status in {"accepted", "duplicate"}, outcome.errors
    return outcome


@on_postgres
def test_the_table_is_partitioned_by_day_with_the_days_around_today_made():
    assert partitions.is_partitioned()
    today = timezone.localdate()
    have = partitions.day_partitions()
    assert {today - dt.timedelta(days=1), today, today + dt.timedelta(days=7)} <= set(have)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'screening_screening'::regclass AND contype = 'p'"
        )
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, day)"


def test_the_sqlite_table_stays_plain():
    if connection.vendor == "postgresql":
        pytest.skip("the plain table is SQLite's")
    assert not partitions.is_partitioned()
    assert partitions.ensure_partitions(dt.date(2027, 1, 1), dt.date(2027, 1, 3)) == []


@on_postgres
def test_a_new_partition_takes_the_rows_the_default_caught_for_its_day(grid_worker, inside):
    far = dt.date(2031, 5, 4)
    assert far not in partitions.day_partitions()
    kept = record(grid_worker, inside.household, far)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM screening_screening_default WHERE day = %s", [far])
        assert cursor.fetchone()[0] == 1
    assert partitions.ensure_partitions(far, far + dt.timedelta(days=1)) == [
        far,
        far + dt.timedelta(days=1),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM screening_screening_p20310504")
        assert [row[0] for row in cursor.fetchall()] == [kept.id]
        cursor.execute("SELECT count(*) FROM screening_screening_default")
        assert cursor.fetchone()[0] == 0
    # a second run makes nothing, and the row is still found through the model
    assert partitions.ensure_partitions(far, far + dt.timedelta(days=1)) == []
    assert Screening.objects.get(pk=kept.id).day == far


def test_the_daily_job_makes_the_next_week_and_is_in_the_schedule(
    inside, django_capture_on_commit_callbacks, settings
):
    settings.LINLI_JOBS = "eager"
    from linli.jobs.schedule import PERIODIC

    assert PERIODIC["screening.partitions"] == 86400
    ahead = timezone.localdate() + dt.timedelta(days=partitions.AHEAD)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {partitions.partition_name(ahead)}")
        assert ahead not in partitions.day_partitions()
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("screening.partitions", actor=None, place=inside.community, params={})
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    if connection.vendor == "postgresql":
        assert ahead in partitions.day_partitions()
        assert ahead.isoformat() in job.result["made"]


def test_retention_removes_the_screenings_of_days_past_the_limit(
    grid_worker, inside, more_households
):
    """The same people's screenings go on both databases: on PostgreSQL by dropping the
    old days' partitions (and the default partition's rows of such days)."""
    today = dt.date(2026, 11, 29)
    old, recent = today - dt.timedelta(days=200), today - dt.timedelta(days=10)
    if connection.vendor == "postgresql":
        partitions.ensure_partitions(old, old)
    record(grid_worker, inside.household, old, resident=inside.resident)
    record(grid_worker, more_households[0], old - dt.timedelta(days=3))  # the default's
    record(grid_worker, more_households[1], recent)
    record(grid_worker, more_households[2], today)
    dry = apply_retention(days=180, today=today, dry_run=True)
    assert dry.screenings == 2 and Screening.objects.count() == 4
    report = apply_retention(days=180, today=today)
    assert report.screenings == 2
    left = set(Screening.objects.values_list("household_id", flat=True))
    assert left == {more_households[1].pk, more_households[2].pk}
    assert not Screening.objects.filter(resident=inside.resident).exists()
    if connection.vendor == "postgresql":
        assert old not in partitions.day_partitions()
    assert apply_retention(days=180, today=today).screenings == 0


@on_postgres
def test_a_days_roll_up_reads_that_days_partition_only(grid_worker, inside):
    from django.test.utils import CaptureQueriesContext

    from linli.screening.selectors import community_figures

    today = timezone.localdate()
    record(grid_worker, inside.household, today)
    with CaptureQueriesContext(connection) as captured:
        community_figures(inside.community.code, today)
    [sql] = [q["sql"] for q in captured.captured_queries if "screening_screening" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    relations = set()

    def walk(node):
        if "Relation Name" in node:
            relations.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    assert relations == {partitions.partition_name(today)}
