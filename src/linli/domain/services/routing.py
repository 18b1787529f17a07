"""Routing: the qualified, available professional with the least load in the team bound to the
request's community — or, when there is none, the reason the request waits in the queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = ("psychologist", "doctor", "nurse", "social_worker")

# Who may take a request of each category.
QUALIFIED: dict[str, frozenset[str]] = {
    "psychological": frozenset({"psychologist"}),
    "medical": frozenset({"doctor", "nurse"}),
    "medicine": frozenset({"doctor", "nurse", "social_worker"}),
    "daily": frozenset({"social_worker"}),
    "other": frozenset(KINDS),
}


@dataclass(frozen=True)
class Window:
    """Available on ``weekday`` (0 = Monday) from ``start`` to ``end`` minutes after midnight."""

    weekday: int
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday}")
        if not 0 <= self.start < self.end <= 24 * 60:
            raise ValueError(f"hours must run forwards within a day: {self.start}..{self.end}")

    def covers(self, local: dt.datetime) -> bool:
        minute = local.hour * 60 + local.minute
        return local.weekday() == self.weekday and self.start <= minute < self.end


def parse_windows(text: str) -> tuple[Window, ...]:
    """ "1-5 09:00-17:00; 6 10:00-12:00" (weekdays 1 = Monday … 7 = Sunday) → windows.
    Raises ValueError naming the part that is wrong."""
    windows = []
    for part in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
        try:
            days, hours = part.split()
            first, _, last = days.partition("-")
            start, end = hours.split("-")
            d0, d1 = int(first), int(last or first)
            if not (1 <= d0 <= d1 <= 7):
                raise ValueError
            m0, m1 = _minutes(start), _minutes(end)
        except ValueError:
            raise ValueError(
                f"cannot read available hours {part!r} (e.g. 1-5 09:00-17:00)"
            ) from None
        windows.extend(Window(d - 1, m0, m1) for d in range(d0, d1 + 1))
    return tuple(windows)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(hhmm)
    return h * 60 + m


@dataclass(frozen=True)
class Professional:
    id: int
    kind: str
    load: int  # open cases now
    load_limit: int
    windows: tuple[Window, ...] = ()
    languages: frozenset[str] = frozenset()
    active: bool = True

    def available(self, local: dt.datetime) -> bool:
        return self.active and any(w.covers(local) for w in self.windows)


@dataclass(frozen=True)
class Team:
    id: int
    communities: frozenset[str]
    members: tuple[int, ...]


@dataclass(frozen=True)
class Ask:
    category: str
    community: str
    language: str = ""  # "" = any


@dataclass(frozen=True)
class Route:
    professional: int | None
    team: int | None
    reason: str  # "assigned" or why it waits: no_team, no_qualified, language, outside_hours, at_load_limit
    counts: dict[str, int] = field(default_factory=dict)  # how many were ruled out by what

    @property
    def queued(self) -> bool:
        return self.professional is None


def route(
    ask: Ask, teams: list[Team], professionals: list[Professional], local_now: dt.datetime
) -> Route:
    """Pick among the members of the teams bound to the community (first bound team first):
    qualified for the category, speaking the language asked, inside their hours, under their
    load limit; least open cases, then least share of their limit, then lowest id."""
    bound = sorted((t for t in teams if ask.community in t.communities), key=lambda t: t.id)
    if not bound:
        return Route(None, None, "no_team")
    by_id = {p.id: p for p in professionals}
    qualified = QUALIFIED.get(ask.category, frozenset())
    counts = {"no_qualified": 0, "language": 0, "outside_hours": 0, "at_load_limit": 0}
    best: tuple[tuple[int, float, int], int, int] | None = None
    for team in bound:
        for pid in team.members:
            p = by_id.get(pid)
            if p is None or not p.active or p.kind not in qualified:
                counts["no_qualified"] += 1
                continue
            if ask.language and p.languages and ask.language not in p.languages:
                counts["language"] += 1
                continue
            if not p.available(local_now):
                counts["outside_hours"] += 1
                continue
            if p.load >= p.load_limit:
                counts["at_load_limit"] += 1
                continue
            key = (p.load, p.load / max(p.load_limit, 1), p.id)
            if best is None or key < best[0]:
                best = (key, p.id, team.id)
    if best is not None:
        return Route(best[1], best[2], "assigned", counts)
    # The reason is the last hurdle the qualified ones failed at.
    for reason in ("at_load_limit", "outside_hours", "language"):
        if counts[reason]:
            return Route(None, bound[0].id, reason, counts)
    return Route(None, bound[0].id, "no_qualified", counts)


def on_duty(leads: list[tuple[int, tuple[Window, ...]]], local_now: dt.datetime) -> int | None:
    """The first lead (in the team's order) inside their hours now, else the first lead:
    somebody is always told."""
    for lead, windows in leads:
        if any(w.covers(local_now) for w in windows):
            return lead
    return leads[0][0] if leads else None
