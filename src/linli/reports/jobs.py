"""The reports' periodic job: deliver the scheduled forms that are due."""

from __future__ import annotations

from linli.jobs.runner import job


@job("reports.scheduled", retries=1)
def scheduled(ctx) -> dict[str, int]:
    from .schedules import run_due_schedules

    delivered = run_due_schedules()
    ctx.progress(1, 1, "")
    return {"delivered": delivered}
