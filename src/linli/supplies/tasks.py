"""Supplies' background job: low-stock alerts (periodic, see linli.jobs.schedule.PERIODIC)."""

from __future__ import annotations

from linli.jobs.runner import job


@job("supplies.low_stock", retries=2)
def low_stock(ctx) -> dict[str, int]:
    from .services import do_alert_low_stock

    sent = do_alert_low_stock()
    ctx.progress(1, 1, "")
    return {"alerts": sent}
