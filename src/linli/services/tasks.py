"""Service requests' background job: escalation when a limit passes (periodic, see
linli.jobs.schedule.PERIODIC)."""

from __future__ import annotations

import datetime as dt

from linli.jobs.runner import job


@job("services.escalate", retries=2)
def escalate(ctx, now: str | None = None) -> dict[str, int]:
    from .services import do_escalate_cases

    opened = do_escalate_cases(now=dt.datetime.fromisoformat(now) if now else None)
    ctx.progress(1, 1, "")
    return {"escalations": opened}


@job("services.wellbeing", retries=2)
def wellbeing(ctx) -> dict[str, int]:
    from .services import do_remind_check_ins

    invited = do_remind_check_ins()
    ctx.progress(1, 1, "")
    return {"invited": invited}
