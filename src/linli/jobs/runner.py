"""One job interface for everything long: register a function, enqueue it, watch it.

    @job("guardianship.plan_all")
    def plan_all(ctx, *, district):
        for i, community in enumerate(communities):
            ctx.progress(i, len(communities), community)
            if ctx.cancelled():
                return None
            ...
        return {"planned": n}

    enqueue("guardianship.plan_all", actor=user, place=place, params={"district": "510107"})

Backends, chosen by the one ``LINLI_JOBS`` setting: ``thread`` (default; a small pool of
threads in this process, nothing to install), ``celery`` (Celery workers with Redis as
broker, any number of processes: ``linli worker``) and ``eager`` (runs at commit in the
caller's thread; tests). Job functions take ids and plain values and must be idempotent:
a job registered with ``retries=N`` that raises is run again after a back-off, and a
message delivered twice runs once (the claim below).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils import timezone

from linli.domain.backoff import backoff

from .models import Job, JobStatus

log = logging.getLogger(__name__)
_registry: dict[str, Callable[..., Any]] = {}
_retries: dict[str, int] = {}
_cancel_capability: dict[str, str] = {}
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


class JobCancelled(Exception):
    pass


def job(
    kind: str, *, retries: int = 0, cancel_capability: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as the job ``kind``. Whoever started a job may cancel it; so may an
    account in its scope holding ``cancel_capability`` (none: the starter only)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _registry[kind] = fn
        _retries[kind] = retries
        if cancel_capability:
            _cancel_capability[kind] = cancel_capability
        return fn

    return register


class JobContext:
    """What a running job may do: report progress and ask whether it was cancelled."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id

    def progress(self, done: int, total: int, message: str = "") -> None:
        Job.objects.filter(pk=self.job_id).update(done=done, total=total, message=message[:200])

    def cancelled(self) -> bool:
        return Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()

    def check_cancelled(self) -> None:
        if self.cancelled():
            raise JobCancelled


def enqueue(
    kind: str, *, actor: Any, place: Any, params: dict | None = None, key: str | None = None
) -> Job:
    """Create the job and start it after the surrounding transaction commits.

    With ``key``, enqueuing the same work twice returns the first job (idempotent)."""
    if kind not in _registry:
        raise KeyError(f"no job registered as {kind!r}")
    if key:
        existing = Job.objects.filter(key=key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            created = Job.objects.create(
                kind=kind,
                params=params or {},
                key=key,
                place=place,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        return Job.objects.get(key=key)
    transaction.on_commit(lambda: _dispatch(created.pk))
    return created


def may_cancel(actor: Any, job: Job) -> bool:
    """The job's creator, or a holder of the capability its kind names (scope is the caller's:
    reach the job through ``access`` first)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if job.created_by_id is not None and job.created_by_id == actor.pk:
        return True
    capability = _cancel_capability.get(job.kind)
    return capability is not None and actor.can(capability)


def cancel(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )


def _dispatch(job_id: Any, delay: float = 0) -> None:
    backend = getattr(settings, "LINLI_JOBS", "thread")
    if backend == "eager":
        run(job_id)
        return
    if backend == "celery":
        from .celery import queue_for, run_job

        code = Job.objects.filter(pk=job_id).values_list("place__code", flat=True).first()
        run_job.apply_async((job_id,), countdown=delay or None, queue=queue_for(code))
        return
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="linli-job")
        pool = _pool
    if delay:
        timer = threading.Timer(delay, pool.submit, args=(_run_in_thread, job_id))
        timer.daemon = True
        timer.start()
    else:
        pool.submit(_run_in_thread, job_id)


def _run_in_thread(job_id: Any) -> None:
    close_old_connections()
    try:
        run(job_id)
    except Exception:  # a pool thread has no caller to raise to: keep the trace in the log
        log.exception("job runner crashed id=%s", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            error="runner crashed; see the server log",
            finished_at=timezone.now(),
        )
    finally:
        connections.close_all()  # this pool thread's connections; none linger after the job


def run(job_id: Any) -> None:
    """Claim a queued job (a conditional UPDATE, so it runs once) and run it."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    record = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(attempts=record.attempts + 1)
    ctx = JobContext(job_id)
    try:
        result = _registry[record.kind](ctx, **record.params)
    except JobCancelled:
        _finish(job_id, JobStatus.CANCELLED)
    except Exception as error:  # the job's own failure is stored for the page, not raised
        log.exception("job failed kind=%s id=%s", record.kind, job_id)
        message = f"{type(error).__name__}: {error}"[:2000]
        attempts = record.attempts + 1
        wait = backoff(attempts) if attempts <= _retries.get(record.kind, 0) else None
        if wait is None:
            _finish(job_id, JobStatus.FAILED, error=message)
            return
        Job.objects.filter(pk=job_id).update(status=JobStatus.QUEUED, error=message)
        backend = getattr(settings, "LINLI_JOBS", "thread")
        transaction.on_commit(lambda: _dispatch(job_id, 0 if backend == "eager" else wait))
    else:
        status = JobStatus.CANCELLED if ctx.cancelled() else JobStatus.SUCCEEDED
        _finish(job_id, status, result=result)


def _finish(job_id: Any, status: str, *, result: Any = None, error: str | None = None) -> None:
    """Record the end; an earlier attempt's error stays unless this one has its own."""
    fields = {"status": status, "result": result, "finished_at": timezone.now()}
    if error is not None:
        fields["error"] = error
    Job.objects.filter(pk=job_id).update(**fields)


def wait_all(timeout: float = 30.0) -> None:
    """Wait until the thread pool is idle (tests and commands)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True)
