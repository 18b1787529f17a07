"""Response and resolution limits per urgency, and the escalation ladder when they pass.

A request must get its first response within the response limit of its urgency (critical
15 min, urgent 2 h, normal 24 h by default) and be closed within the resolution limit. When
the response limit passes the team lead is told; half a limit later, the community secretary.
A request nobody could be assigned to does not wait for its limit: the lead is told at half of
it and the secretary when it passes, so a critical request escalates within its 15 minutes.
Resolution: the lead when the limit passes, the secretary half a limit later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_RESPONSE_MINUTES = {"critical": 15, "urgent": 120, "normal": 24 * 60}
DEFAULT_RESOLUTION_MINUTES = {"critical": 24 * 60, "urgent": 3 * 24 * 60, "normal": 7 * 24 * 60}
GRACE = 0.5  # fraction of the limit between one rung of the ladder and the next


@dataclass(frozen=True)
class Limits:
    response: dict[str, int]  # urgency → minutes
    resolution: dict[str, int]

    def __post_init__(self) -> None:
        for name, table in (("response", self.response), ("resolution", self.resolution)):
            for urgency in DEFAULT_RESPONSE_MINUTES:
                if table.get(urgency, 0) <= 0:
                    raise ValueError(f"{name} limit for {urgency} must be more than 0 minutes")

    def response_for(self, urgency: str) -> dt.timedelta:
        return dt.timedelta(minutes=self.response[urgency])

    def resolution_for(self, urgency: str) -> dt.timedelta:
        return dt.timedelta(minutes=self.resolution[urgency])


DEFAULT_LIMITS = Limits(dict(DEFAULT_RESPONSE_MINUTES), dict(DEFAULT_RESOLUTION_MINUTES))


@dataclass(frozen=True)
class CaseClock:
    case: int
    urgency: str
    created_at: dt.datetime
    assigned: bool
    first_response_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    escalated: frozenset[tuple[str, str]] = frozenset()  # (kind, level) already open


@dataclass(frozen=True)
class Escalate:
    case: int
    kind: str  # "response" | "resolution"
    level: str  # "lead" | "secretary"
    due_at: dt.datetime  # when the limit passes (or passed)
    reason: str  # "queued" (nobody could take it) | "overdue"


def response_due(case: CaseClock, limits: Limits) -> dt.datetime:
    return case.created_at + limits.response_for(case.urgency)


def resolution_due(case: CaseClock, limits: Limits) -> dt.datetime:
    return case.created_at + limits.resolution_for(case.urgency)


def ladder(case: CaseClock, limits: Limits) -> list[tuple[str, str, dt.datetime, dt.datetime, str]]:
    """Every rung for this case: (kind, level, at, due, reason), in time order."""
    rungs = []
    limit = limits.response_for(case.urgency)
    due = response_due(case, limits)
    if case.first_response_at is None:
        if case.assigned:
            rungs += [
                ("response", "lead", due, due, "overdue"),
                ("response", "secretary", due + limit * GRACE, due, "overdue"),
            ]
        else:
            rungs += [
                ("response", "lead", case.created_at + limit * GRACE, due, "queued"),
                ("response", "secretary", due, due, "queued"),
            ]
    limit = limits.resolution_for(case.urgency)
    due = resolution_due(case, limits)
    rungs += [
        ("resolution", "lead", due, due, "overdue"),
        ("resolution", "secretary", due + limit * GRACE, due, "overdue"),
    ]
    return sorted(rungs, key=lambda r: r[2])


def escalations(cases: list[CaseClock], now: dt.datetime, limits_of) -> list[Escalate]:
    """The escalations to open at ``now``: every rung reached and not yet open, for cases
    not closed. ``limits_of(case)`` gives the limits of the case's community."""
    actions = []
    for case in cases:
        if case.closed_at is not None:
            continue
        for kind, level, at, due, reason in ladder(case, limits_of(case)):
            if now >= at and (kind, level) not in case.escalated:
                actions.append(Escalate(case.case, kind, level, due, reason))
    return actions


def response_state(case: CaseClock, now: dt.datetime, limits: Limits) -> str:
    """For the dashboard: "met" / "missed" once answered, else "waiting" / "overdue"."""
    due = response_due(case, limits)
    if case.first_response_at is not None:
        return "met" if case.first_response_at <= due else "missed"
    return "waiting" if now <= due else "overdue"


AGE_BUCKETS = ((15, "<15m"), (120, "<2h"), (24 * 60, "<24h"), (3 * 24 * 60, "<3d"))


def age_bucket(created_at: dt.datetime, now: dt.datetime) -> str:
    minutes = (now - created_at).total_seconds() / 60
    for limit, label in AGE_BUCKETS:
        if minutes < limit:
            return label
    return "≥3d"
