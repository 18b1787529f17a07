"""The Celery application for ``LINLI_JOBS=celery``: Redis as broker, one task that runs a Job.

Start workers with ``linli worker`` (any number of processes, on any machine that reaches
the database and Redis). The Job row stays the record of progress, result and error.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

app = Celery("linli")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="linli.jobs.run")
def run_job(job_id: int) -> None:
    from .runner import run

    run(job_id)
