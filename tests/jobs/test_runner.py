import time

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
        kind="test.count", place=secretary.place, total=4, done=1, status=JobStatus.RUNNING
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


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_in_the_background_and_can_be_cancelled(settings):
    from linli.places.services import do_load_divisions

    do_load_divisions()
    settings.LINLI_JOBS = "thread"
    place = Place.objects.get(code="5101")
    quick = runner.enqueue("test.count", actor=None, place=place, params={"n": 3})
    long = runner.enqueue("test.slow", actor=None, place=place, params={"seconds": 30})
    for _ in range(200):
        if Job.objects.get(pk=long.pk).status == "running":
            break
        time.sleep(0.02)
    runner.cancel(long)
    runner.wait_all()
    assert Job.objects.get(pk=quick.pk).status == "succeeded"
    assert Job.objects.get(pk=long.pk).status == "cancelled"
