"""Contact windows and escalation of missed contacts (pure rules).

Each ward must be contacted within the window of its risk level (defaults 12 h /
24 h / 72 h for high / medium / low). When the window passes, the backup guardian
is asked to step in; when half a window more passes without a contact, the
community secretary is told. A contact closes every open escalation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_WINDOWS_HOURS = {"high": 12, "medium": 24, "low": 72}
SECRETARY_GRACE = 0.5  # fraction of the window after the backup was asked


@dataclass(frozen=True)
class WardContactState:
    ward: int
    risk: str
    last_contact: dt.datetime | None
    guarded_since: dt.datetime  # when the ward got a guardian (the clock starts then)
    open_level: str | None  # None, "backup" or "secretary"
    window_hours: float | None = None  # override (per community); None: the default for the risk


@dataclass(frozen=True)
class EscalationAction:
    ward: int
    level: str  # "backup" | "secretary"
    due_since: dt.datetime


def window_for(state: WardContactState) -> dt.timedelta:
    hours = (
        state.window_hours
        if state.window_hours is not None
        else DEFAULT_WINDOWS_HOURS.get(state.risk, 24)
    )
    return dt.timedelta(hours=hours)


def due_at(state: WardContactState) -> dt.datetime:
    """When the next contact is due."""
    start = max(filter(None, [state.last_contact, state.guarded_since]))
    return start + window_for(state)


def escalations(states: list[WardContactState], now: dt.datetime) -> list[EscalationAction]:
    """The escalations to open now, at most one per ward."""
    actions = []
    for state in states:
        due = due_at(state)
        if now <= due or state.open_level == "secretary":
            continue
        if state.open_level is None:
            actions.append(EscalationAction(state.ward, "backup", due))
        elif now > due + window_for(state) * SECRETARY_GRACE:
            actions.append(EscalationAction(state.ward, "secretary", due))
    return actions
