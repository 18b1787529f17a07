"""The background job that empties the outbox."""

from __future__ import annotations

from linli.jobs.runner import job

from .services import deliver_due


@job("notifications.deliver")
def deliver(ctx) -> dict[str, int]:
    counts = deliver_due()
    ctx.progress(sum(counts.values()), sum(counts.values()), "")
    return counts
