"""Per-district queues on Celery: each job goes to its place's district queue (or the
city's), ``linli worker --districts`` picks queues, and a flood of jobs in one district does
not delay another district's job (real Redis, its own database number and queue names)."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from linli.jobs import runner
from linli.jobs.celery import app, queue_for
from linli.jobs.models import Job
from linli.jobs.worker import worker_queues
from linli.places.models import Place

from .test_runner import redis_reachable, wait_for

REDIS_DB = "redis://127.0.0.1:6379/11"  # apart from the other tests' and the demo's


def test_a_job_goes_to_its_districts_queue_or_the_citys():
    prefix = app.conf.task_default_queue
    assert queue_for("510107005002") == f"{prefix}.510107"
    assert queue_for("510104") == f"{prefix}.510104"
    assert queue_for("5101") == f"{prefix}.city"
    assert queue_for(None) == f"{prefix}.city"


def test_worker_districts_choose_the_queues():
    prefix = app.conf.task_default_queue
    queues, rest = worker_queues(["--districts", "510107,510104", "--concurrency", "2"])
    assert queues == [f"{prefix}.510107", f"{prefix}.510104"] and rest == ["--concurrency", "2"]
    assert worker_queues(["--districts=city"])[0] == [f"{prefix}.city"]
    with pytest.raises(SystemExit, match="6-digit district codes"):
        worker_queues(["--districts", "5101x7"])


@pytest.mark.django_db
def test_a_worker_without_districts_takes_every_district_and_the_city(live_places):
    queues, _ = worker_queues([])
    prefix = app.conf.task_default_queue
    assert f"{prefix}.510107" in queues and f"{prefix}.city" in queues
    assert len(queues) == Place.objects.filter(level="district").count() + 1


def fresh_pools() -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def isolated_broker():
    if not redis_reachable():
        if os.environ.get("LINLI_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required here (LINLI_REQUIRE_REDIS=1) but 127.0.0.1:6379 is down")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    saved = app.conf.broker_url, app.conf.task_default_queue
    app.conf.broker_url = REDIS_DB
    app.conf.task_default_queue = f"linli-test-{uuid.uuid4().hex[:8]}"
    fresh_pools()  # the producers reconnect to the database chosen above
    try:
        yield app.conf.task_default_queue
    finally:
        app.conf.broker_url, app.conf.task_default_queue = saved
        fresh_pools()


@pytest.mark.django_db(transaction=True)
def test_a_flood_in_one_district_does_not_delay_another(isolated_broker, settings, live_places):
    from celery.contrib.testing.worker import start_worker

    settings.LINLI_JOBS = "celery"
    wuhou, jinjiang = Place.objects.get(code="510107"), Place.objects.get(code="510104")
    flood = [
        runner.enqueue("test.slow", actor=None, place=wuhou, params={"seconds": 0.3})
        for _ in range(20)
    ]
    # One worker each, as two districts' IT offices would run them.
    with (
        start_worker(
            app,
            pool="threads",
            concurrency=1,
            perform_ping_check=False,
            queues=[queue_for("510107")],
        ),
        start_worker(
            app,
            pool="threads",
            concurrency=1,
            perform_ping_check=False,
            queues=[queue_for("510104")],
        ),
    ):
        started = time.monotonic()
        theirs = runner.enqueue("test.count", actor=None, place=jinjiang, params={"n": 2})
        assert wait_for(theirs, {"succeeded", "failed"}, seconds=10) == "succeeded"
        waited = time.monotonic() - started
        still_queued = Job.objects.filter(pk__in=[j.pk for j in flood], status="queued").count()
        # The flood takes 20 × 0.3 s = 6 s on its one worker; Jinjiang's job did not queue
        # behind it (on one shared queue it would have waited for all twenty).
        assert waited < 3.0, waited
        assert still_queued >= 10, still_queued
        for job in flood:
            runner.cancel(job)
