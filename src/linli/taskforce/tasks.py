"""Task-force background jobs (periodic, see linli.jobs.schedule.PERIODIC)."""

from __future__ import annotations

from linli.jobs.runner import job


@job("taskforce.daily_tasks", retries=2)
def daily_tasks(ctx) -> dict[str, int]:
    """Today's instances of the recurring tasks (idempotent: once per task and day)."""
    from .services import do_make_daily_tasks

    made = do_make_daily_tasks()
    ctx.progress(1, 1, "")
    return {"tasks": made}


@job("taskforce.overdue", retries=2)
def overdue(ctx) -> dict[str, int]:
    """Overdue tasks flagged to their group's lead, once per task."""
    from .services import do_flag_overdue

    flagged = do_flag_overdue()
    ctx.progress(1, 1, "")
    return {"flagged": flagged}
