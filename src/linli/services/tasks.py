"""Service requests' periodic jobs (linli.jobs.schedule.PERIODIC): every minute, waiting
requests are routed again and escalations opened when a limit passes; hourly, frontline
workers due a wellbeing check-in are invited."""

from __future__ import annotations

from linli.common.dates import parse_moment
from linli.jobs.runner import job


@job("services.escalate", retries=2)
def escalate(ctx, now: str | None = None) -> dict[str, int]:
    from .services import do_escalate_cases, do_route_queued

    at = parse_moment(now) if now else None
    assigned = do_route_queued(now=at)  # someone's hours may have begun
    opened = do_escalate_cases(now=at)
    ctx.progress(1, 1, "")
    return {"assigned": assigned, "escalations": opened}


@job("services.wellbeing", retries=2)
def wellbeing(ctx) -> dict[str, int]:
    from .services import do_remind_check_ins

    invited = do_remind_check_ins()
    ctx.progress(1, 1, "")
    return {"invited": invited}
