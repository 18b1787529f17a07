"""Deliveries' background job: recurring orders renewed when due (periodic)."""

from __future__ import annotations

from linli.jobs.runner import job


@job("deliveries.renew", retries=2)
def renew(ctx) -> dict[str, int]:
    from .services import do_renew_recurring_orders

    made = do_renew_recurring_orders()
    ctx.progress(1, 1, "")
    return {"orders": made}
