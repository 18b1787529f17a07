"""Periodic work: every interval, each periodic job is enqueued once, however many schedulers run.

``linli manage schedule --loop 30`` (one systemd service in production; the demo server
runs the same loop in a thread). The job key carries the time slot, so two schedulers,
or a restarted one, never enqueue the same slot twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.utils import timezone

log = logging.getLogger(__name__)

# job kind → interval in seconds
PERIODIC: dict[str, int] = {
    "guardianship.escalate": 300,  # missed contacts: backup first, then the secretary
    "notifications.deliver": 60,  # retries that have waited out their back-off
    "reports.scheduled": 60,  # department forms due at their time of day
    "supplies.low_stock": 3600,  # stock with fewer days of supply than the item's threshold
    "services.escalate": 60,  # service requests past a limit: team lead, then the secretary
    "services.wellbeing": 3600,  # weekly wellbeing check-in invitations to frontline workers
    "register.retention": 86400,  # people who left, ended quarantines: anonymised when due
    "taskforce.daily_tasks": 900,  # today's instances of recurring tasks (once per task and day)
    "taskforce.overdue": 300,  # overdue tasks flagged to their group lead
    "screening.remind_reports": 600,  # daily reports missing after their level's deadline
    "deliveries.renew": 3600,  # recurring orders (medicine every N days) placed when due
    "screening.partitions": 86400,  # PostgreSQL: the next days' screening partitions, made ahead
}


def tick(now: dt.datetime | None = None) -> list:
    """Enqueue each periodic job for the current slot (once per slot); returns the jobs."""
    from linli.places.models import Place

    from .runner import enqueue

    now = now or timezone.now()
    root = Place.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        return []
    return [
        enqueue(
            kind, actor=None, place=root, params={}, key=f"{kind}@{int(now.timestamp()) // seconds}"
        )
        for kind, seconds in PERIODIC.items()
    ]


def run_forever(interval: float) -> None:
    while True:
        try:
            tick()
        except Exception:  # the loop must outlive a database hiccup
            log.exception("scheduler tick failed")
        time.sleep(interval)


def start_in_thread(interval: float = 30.0) -> threading.Thread:
    """For the embedded server: the same loop, in a daemon thread of the web process."""
    thread = threading.Thread(
        target=run_forever, args=(interval,), name="linli-schedule", daemon=True
    )
    thread.start()
    return thread
