import os
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from linli.jobs import runner
from linli.jobs.models import Job, JobStatus
from linli.places.models import Place


@runner.job("test.count")
def count(ctx, *, n: int, fail_at: int | None = None):
    for i in range(n):
        if fail_at is not None and i == fail_at:
            raise ValueError(f"row {i} is bad")
        ctx.check_cancelled()
        ctx.progress(i + 1, n, f"item {i + 1}")
    return {"counted": n}


@runner.job("test.flaky", retries=2)
def flaky(ctx, *, fail_times: int):
    attempt = Job.objects.get(pk=ctx.job_id).attempts
    if attempt <= fail_times:
        raise RuntimeError(f"attempt {attempt} fails on purpose")
    return {"attempt": attempt}


@runner.job("test.slow")
def slow(ctx, *, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        time.sleep(0.02)
    return {"slept": seconds}


@pytest.fixture
def eager(settings):
    settings.LINLI_JOBS = "eager"


@pytest.mark.django_db
def test_a_job_reports_progress_and_its_result(
    eager, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.enqueue("test.count", actor=secretary, place=secretary.place, params={"n": 5})
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.result) == (
        "succeeded",
        5,
        5,
        100,
        {"counted": 5},
    )


@pytest.mark.django_db
def test_a_failing_job_keeps_a_clear_error(eager, secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = runner.enqueue(
            "test.count", actor=secretary, place=secretary.place, params={"n": 5, "fail_at": 3}
        )
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "ValueError: row 3 is bad"
    assert job.done == 3


@pytest.mark.django_db
def test_the_same_key_enqueues_once_and_a_job_runs_once(
    eager, secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = runner.enqueue(
            "test.count", actor=secretary, place=secretary.place, params={"n": 2}, key="k1"
        )
        second = runner.enqueue(
            "test.count", actor=secretary, place=secretary.place, params={"n": 2}, key="k1"
        )
    assert first.pk == second.pk
    runner.run(first.pk)  # a retried delivery finds it already claimed
    assert Job.objects.get(pk=first.pk).attempts == 1


@pytest.mark.django_db
def test_progress_page_is_scoped_and_polls_until_done(secretary, make_user, outside):
    job = Job.objects.create(
        kind="test.count",
        place=secretary.place,
        created_by=secretary,
        total=4,
        done=1,
        status=JobStatus.RUNNING,
    )
    client = Client()
    client.force_login(secretary)
    body = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="25"' in body
    foreign = Job.objects.create(kind="test.count", place=Place.objects.get(code="510104017001"))
    assert client.get(reverse("jobs:detail", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("jobs:cancel", args=[foreign.pk])).status_code == 404
    client.post(reverse("jobs:cancel", args=[job.pk]))
    assert Job.objects.get(pk=job.pk).cancel_requested


def redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["thread", "celery"])
def backend(request, settings):
    """The same tests on the in-process threads and on Celery workers with Redis."""
    settings.LINLI_JOBS = request.param
    if request.param == "thread":
        yield request.param
        runner.wait_all()
        return
    if not redis_reachable():
        if os.environ.get("LINLI_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is required here (LINLI_REQUIRE_REDIS=1) but 127.0.0.1:6379 is down")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    from celery.contrib.testing.worker import start_worker

    from linli.jobs.celery import app

    queue = f"linli-test-{uuid.uuid4().hex[:8]}"  # runs sharing one Redis never cross
    app.conf.task_default_queue = queue
    with start_worker(
        app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        queues=[queue, f"{queue}.city"],
    ):
        yield request.param


def wait_for(job, statuses, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = Job.objects.get(pk=job.pk).status
        if status in statuses:
            return status
        time.sleep(0.02)
    return Job.objects.get(pk=job.pk).status


@pytest.mark.django_db(transaction=True)
def test_a_backend_runs_jobs_in_the_background_and_can_cancel_them(backend):
    from linli.places.services import do_load_divisions

    do_load_divisions()
    place = Place.objects.get(code="5101")
    quick = runner.enqueue("test.count", actor=None, place=place, params={"n": 3})
    long = runner.enqueue("test.slow", actor=None, place=place, params={"seconds": 30})
    assert wait_for(long, {"running"}) == "running"
    runner.cancel(long)
    assert wait_for(quick, {"succeeded", "failed"}) == "succeeded"
    assert wait_for(long, {"cancelled", "succeeded", "failed"}) == "cancelled"
    assert Job.objects.get(pk=quick.pk).result == {"counted": 3}


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_retried_after_a_back_off_then_succeeds(backend, monkeypatch):
    from linli.places.services import do_load_divisions

    do_load_divisions()
    monkeypatch.setattr(runner, "backoff", lambda failures: 0.2)
    job = runner.enqueue(
        "test.flaky", actor=None, place=Place.objects.get(code="5101"), params={"fail_times": 1}
    )
    assert wait_for(job, {"succeeded", "failed"}) == "succeeded"
    job.refresh_from_db()
    assert job.attempts == 2 and job.result == {"attempt": 2}
    assert job.error == "RuntimeError: attempt 1 fails on purpose"  # the last failure is kept
