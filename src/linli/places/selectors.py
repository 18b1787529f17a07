"""Scoped reads of places."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from linli.common.scope import access, scoped
from linli.register.models import Resident, Ward

from .models import Level, Place


def places_for(actor: Any) -> QuerySet[Place]:
    return scoped(Place, actor)


def access_place(actor: Any, code: str) -> Place:
    return access(Place, actor, code=code)


def top_places(actor: Any) -> QuerySet[Place]:
    """What /places/ lists: the districts for a city-wide account, else the account's own place."""
    place = actor.place
    if place.level == Level.CITY:
        return places_for(actor).filter(level=Level.DISTRICT)
    return places_for(actor).filter(pk=place.pk)


def children_of(actor: Any, place: Place) -> QuerySet[Place]:
    """The place's children with how many communities/compounds each holds and how many are sealed."""
    return (
        places_for(actor)
        .filter(parent=place)
        .annotate(n_children=Count("children", distinct=True))
        .order_by("code")
    )


@dataclass(frozen=True)
class Reachable:
    place: Place
    ancestors: list[Place]
    counts: dict[str, int]
    residents: int
    wards: int
    sealed: int


TOTALS_SECONDS = 60  # how long a place's register totals may be served from the cache


def reachable_summary(actor: Any) -> Reachable:
    """The signed-in person's place and what lies below it, as counts. The totals of the
    register (places per level, residents, wards) are counted at most once a minute per
    place and scope — a city's are millions of rows; sealed compounds are always live."""
    place = actor.place

    def totals() -> tuple[dict[str, int], int, int]:
        per_level = places_for(actor).exclude(pk=place.pk).values("level").annotate(n=Count("id"))
        counts = {row["level"]: row["n"] for row in per_level}
        return (
            {level: counts[level] for level in Level.values if level in counts},
            scoped(Resident, actor).current().count(),
            scoped(Ward, actor).filter(resident__merged_into__isnull=True).count(),
        )

    key = f"places.totals:{place.code}:{actor.role}"
    counts, residents, wards = cache.get_or_set(key, totals, TOTALS_SECONDS)
    sealed = places_for(actor).filter(Q(level=Level.COMPOUND) & Q(sealed=True)).count()
    return Reachable(
        place=place,
        ancestors=place.ancestors(),
        counts=counts,
        residents=residents,
        wards=wards,
        sealed=sealed,
    )
