"""Screening's background job: reminders of missing daily reports (periodic, see
linli.jobs.schedule.PERIODIC)."""

from __future__ import annotations

from linli.jobs.runner import job


@job("screening.remind_reports", retries=2)
def remind_reports(ctx) -> dict[str, int]:
    from .services import do_remind_missing_reports

    sent = do_remind_missing_reports()
    ctx.progress(1, 1, "")
    return {"reminded": sent}
