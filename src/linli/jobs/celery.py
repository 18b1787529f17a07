"""The Celery application for ``LINLI_JOBS=celery``: Redis as broker, one task that runs a Job.

Start workers with ``linli worker`` (any number of processes, on any machine that reaches
the database and Redis). The Job row stays the record of progress, result and error.

Each job goes to its district's queue, ``linli.<district code>`` (the first 6 digits of its
place's code), and a job of the whole city to ``linli.city``: a district's IT office runs
workers for its own districts (``linli worker --districts 510107,510104``), and a flood of
jobs in one district never waits in front of another district's.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")


CITY = "city"


def queue_for(place_code: str | None) -> str:
    """The queue of a job placed at ``place_code``: its district's, or the city's."""
    prefix = app.conf.task_default_queue
    district = (place_code or "")[:6]
    return f"{prefix}.{district if len(district) == 6 else CITY}"


def queues_for(districts: list[str]) -> list[str]:
    """The queues a worker for ``districts`` (codes, or ``city``) consumes."""
    return [queue_for(None if d == CITY else d) for d in districts]


@app.task(name="linli.jobs.run")
def run_job(job_id: int) -> None:
    from .runner import run

    run(job_id)
