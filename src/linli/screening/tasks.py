"""Screening's background jobs (periodic, see linli.jobs.schedule.PERIODIC): reminders of
missing daily reports, and the day partitions made ahead."""

from __future__ import annotations

from linli.jobs.runner import job


@job("screening.remind_reports", retries=2)
def remind_reports(ctx) -> dict[str, int]:
    from .services import do_remind_missing_reports

    sent = do_remind_missing_reports()
    ctx.progress(1, 1, "")
    return {"reminded": sent}


@job("screening.partitions", retries=2)
def make_partitions(ctx) -> dict[str, list[str]]:
    """Daily: the screening partitions from yesterday to a week ahead exist (PostgreSQL)."""
    import datetime as dt

    from django.utils import timezone

    from .partitions import AHEAD, ensure_partitions

    today = timezone.localdate()
    made = ensure_partitions(today - dt.timedelta(days=1), today + dt.timedelta(days=AHEAD))
    ctx.progress(1, 1, "")
    return {"made": [day.isoformat() for day in made]}
