"""Guardianship's background jobs: escalation of missed contacts, and planning many communities."""

from __future__ import annotations

from linli.accounts.roles import Can
from linli.jobs.runner import job


@job("guardianship.escalate", retries=3)
def escalate(ctx) -> dict[str, int]:
    from .services import do_escalate_missed_contacts

    opened = do_escalate_missed_contacts()
    ctx.progress(1, 1, "")
    return {"escalations": opened}


@job("guardianship.plan_place", retries=2, cancel_capability=Can.MANAGE_GUARDIANS)
def plan_place(ctx, *, code: str) -> dict[str, float]:
    """Plan every community under a place (a street, a district, the city), with progress.

    Idempotent: planning a community again from the plan in force changes nothing."""
    from linli.places.models import Level, Place

    from .models import Trigger
    from .problem import communities_with_wards
    from .replan import do_replan_community

    communities = list(
        Place.objects.filter(
            level=Level.COMMUNITY, code__startswith=code, code__in=communities_with_wards()
        ).order_by("code")
    )
    totals = {"communities": len(communities), "wards": 0, "gaps": 0, "changed": 0}
    for i, community in enumerate(communities):
        ctx.check_cancelled()
        result = do_replan_community(community=community, trigger=Trigger.PLAN_JOB, actor=None)
        totals["wards"] += result.wards
        totals["gaps"] += result.gaps
        totals["changed"] += len(result.changed)
        ctx.progress(i + 1, len(communities), community.code)
    return totals
