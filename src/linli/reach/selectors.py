"""Scoped reads: roll-calls, their live board rolled up by place, a ward's check-ins."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from linli.common.scope import access, scoped
from linli.domain.reach.rules import colour
from linli.places.models import Place

from .models import RollCall, RollCallEntry

COLOURS = ("green", "yellow", "red", "grey", "waiting")


def rollcalls_for(actor: Any) -> QuerySet[RollCall]:
    return scoped(RollCall, actor).select_related("place")


def access_rollcall(actor: Any, pk: int) -> RollCall:
    return access(RollCall, actor, queryset=rollcalls_for(actor), pk=pk)


@dataclass
class BoardRow:
    code: str
    name: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, name: str) -> float:
        return 100.0 * self.counts[name] / self.total if self.total else 0.0

    @property
    def worst(self) -> str:
        for name in ("red", "yellow", "grey", "waiting"):
            if self.counts[name]:
                return name
        return "green"


def board(rollcall: RollCall, place: Place, *, now: Any = None) -> tuple[BoardRow, list[BoardRow]]:
    """The colours of ``place`` (inside the roll-call's place) and of each child place, from one
    grouped query (street → district → city roll up by code prefix)."""
    overdue = (now or timezone.now()) > rollcall.deadline
    children = list(Place.objects.filter(parent=place).only("code", "name").order_by("code"))
    total = BoardRow(place.code, place.name)
    rows = {c.code: BoardRow(c.code, c.name) for c in children}
    grouped = (
        RollCallEntry.objects.filter(rollcall=rollcall, code__startswith=place.code)
        .values("code", "state")
        .annotate(n=Count("id"))
    )
    lengths = sorted({len(c) for c in rows}, reverse=True)
    for row in grouped:
        name = colour(row["state"], overdue=overdue)
        total.counts[name] += row["n"]
        for length in lengths:
            child = rows.get(row["code"][:length])
            if child is not None:
                child.counts[name] += row["n"]
                break
    return total, [r for r in rows.values() if r.total]


def red_entries(rollcall: RollCall, place: Place) -> QuerySet[RollCallEntry]:
    return (
        rollcall.entries.filter(code__startswith=place.code)
        .exclude(state="safe")
        .select_related("ward__resident", "task")
        .order_by("state", "code")
    )
