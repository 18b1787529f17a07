"""Build the pure problems of linli.domain.services from the database: a community's triage
rules and limits, the person's risk flags, the teams and professionals routing chooses from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from linli.domain.services import routing
from linli.domain.services.limits import Limits
from linli.domain.services.triage import DEFAULT_RULES, Rule

from .models import Professional, ServiceLimits, Status, Team, TriageRule


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in range(4, len(code) + 1)]


def rules_for(community_code: str) -> tuple[Rule, ...]:
    """The default rules plus the active rules of the community and the places above it."""
    own = TriageRule.objects.filter(place__code__in=_prefixes(community_code), active=True)
    return DEFAULT_RULES + tuple(Rule(r.kind, r.match, r.raise_to, r.reason) for r in own)


def limits_for(community_code: str) -> Limits:
    row = (
        ServiceLimits.objects.filter(place__code__in=_prefixes(community_code))
        .order_by("-place__code")
        .first()
    )
    if row is None:
        row = ServiceLimits()  # the defaults
    return Limits(
        {
            "critical": row.critical_response,
            "urgent": row.urgent_response,
            "normal": row.normal_response,
        },
        {
            "critical": row.critical_resolution,
            "urgent": row.urgent_resolution,
            "normal": row.normal_resolution,
        },
    )


def risk_flags(resident: Any) -> set[str]:
    """The register's current vulnerability categories, and "high_risk" for a high-risk ward."""
    if resident is None:
        return set()
    flags = {v.category for v in resident.vulnerabilities.all() if v.end_date is None}
    ward = getattr(resident, "ward", None)
    if ward is not None and ward.risk == "high":
        flags.add("high_risk")
    return flags


OPEN = ~Q(cases__status=Status.CLOSED) & Q(cases__isnull=False)


def with_load(professionals) -> Any:
    return professionals.annotate(open_cases=Count("cases", filter=OPEN, distinct=True))


def windows_of(professional: Professional) -> tuple[routing.Window, ...]:
    try:
        return routing.parse_windows(professional.hours)
    except ValueError:
        return ()  # refused when saved (clean); an unreadable row is simply never available


def teams_bound_to(community_code: str):
    return Team.objects.filter(communities__code=community_code).distinct().order_by("id")


def routing_problem(community_code: str) -> tuple[list[routing.Team], list[routing.Professional]]:
    teams = list(teams_bound_to(community_code).prefetch_related("members", "communities"))
    members = {p.pk for t in teams for p in t.members.all()}
    rows = with_load(Professional.objects.filter(pk__in=members)).order_by("pk")
    return (
        [
            routing.Team(
                t.pk,
                frozenset(c.code for c in t.communities.all()),
                tuple(sorted(p.pk for p in t.members.all())),
            )
            for t in teams
        ],
        [
            routing.Professional(
                p.pk,
                p.kind,
                p.open_cases,
                p.load_limit,
                windows_of(p),
                frozenset(p.languages or []),
                p.active,
            )
            for p in rows
        ],
    )


def local(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now)


def on_duty_lead(team: Team | None, now: dt.datetime):
    """The account of the team's lead (or deputy) on duty now, or None."""
    if team is None:
        return None
    leads = [p for p in (team.lead, team.deputy) if p is not None and p.active]
    chosen = routing.on_duty([(p.pk, windows_of(p)) for p in leads], local(now))
    return next((p.user for p in leads if p.pk == chosen), None)
