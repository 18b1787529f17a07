"""The planner's scenario for one community, built from the database.

The planner (:mod:`linli.domain.matching`) knows nothing of the database: this module
builds its :class:`~linli.domain.matching.Scenario` (frozen dataclasses) from querysets,
and :mod:`.replan` writes the :class:`~linli.domain.matching.Plan` it returns. Nothing
between the two is a dict: JSON is only ``linli match``'s file format.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from linli.domain import matching
from linli.places.models import Level, Place
from linli.register.models import Ward

from .models import Assignment, Volunteer, VolunteerStatus

# A ward's need that only a volunteer with the same skill can meet. Other needs
# (meals, medicine, …) can be met by any guardian and do not constrain the match.
SKILLED_NEEDS = {
    "sign_language": "sign_language",
    "child_care": "child_care",
    "nursing": "nursing",
    "medical": "medical",
    "psychological": "psychological",
}
ADULT_AGE = 18
SHANGHAI = ZoneInfo("Asia/Shanghai")

# code -> (level, parent code, x, y, sealed) of every place under a community
PlaceRows = dict[str, tuple[str, str | None, float | None, float | None, bool]]


def community_of(place: Place) -> Place:
    """The community a place lies in (the place itself at community level)."""
    if place.level == Level.COMMUNITY:
        return place
    return Place.objects.get(level=Level.COMMUNITY, code=place.code[:12])


def _age(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _compound_and_xy(code: str, places: PlaceRows) -> tuple[str | None, float, float]:
    """Walk up from a building (or compound) to its compound; coordinates of the nearest known place."""
    x = y = None
    compound = None
    current: str | None = code
    while current and current in places:
        level, parent, px, py, _sealed = places[current]
        if x is None and px is not None:
            x, y = px, py
        if level == Level.COMPOUND:
            compound = current
            break
        current = parent
    return compound, x or 0.0, y or 0.0


def scenario_for(community: Place, *, today: dt.date | None = None) -> matching.Scenario:
    """The planner's input for one community: its wards and volunteers, its sealed
    compounds, the plan in force and the pins that still hold
    (:func:`~linli.domain.matching.hold_pins`)."""
    today = today or dt.datetime.now(SHANGHAI).date()
    prefix = community.code
    places: PlaceRows = {
        code: (level, parent, x, y, sealed)
        for code, level, parent, x, y, sealed in Place.objects.filter(code__startswith=prefix)
        .exclude(pk=community.pk)
        .values_list("code", "level", "parent__code", "x", "y", "sealed")
    }
    wards = []
    for row in (
        Ward.objects.filter(
            resident__place__code__startswith=prefix,
            resident__moved_out__isnull=True,
            resident__merged_into__isnull=True,  # a merged duplicate is planned as its survivor
        )
        .select_related("resident__place")
        .order_by("pk")
    ):
        compound, x, y = _compound_and_xy(row.resident.place.code, places)
        age = _age(row.resident.birth_date, today)
        wards.append(
            matching.Ward(
                id=row.pk,
                compound=compound or prefix,
                x=x,
                y=y,
                sex=row.resident.sex or "",
                minor=age is not None and age < ADULT_AGE,
                needs=frozenset(SKILLED_NEEDS[n] for n in row.needs if n in SKILLED_NEEDS),
            )
        )
    volunteers = []
    for row in (
        Volunteer.objects.filter(place__code__startswith=prefix)
        .select_related("place")
        .prefetch_related("passes")
    ):
        compound, x, y = _compound_and_xy(row.place.code, places)
        volunteers.append(
            matching.Volunteer(
                id=row.pk,
                compound=compound or prefix,
                passes=frozenset(p.code for p in row.passes.all()),
                x=x,
                y=y,
                sex=row.sex or "",
                vetted=row.vetted,
                skills=frozenset(row.skills),
                capacity=row.capacity,
                backup_capacity=row.backup_capacity,
                status=row.status or VolunteerStatus.ACTIVE,
            )
        )
    sealed = frozenset(
        code
        for code, (level, *_rest, is_sealed) in places.items()
        if level == Level.COMPOUND and is_sealed
    )
    current: dict[tuple[int, str], int] = {}
    pins: list[tuple[int, str, int]] = []  # oldest first: they stay when capacity runs out
    for a in Assignment.objects.filter(ward_id__in=[w.id for w in wards]).order_by("since", "pk"):
        current[(a.ward_id, a.role)] = a.volunteer_id
        if a.pinned:
            pins.append((a.ward_id, a.role, a.volunteer_id))
    return matching.Scenario(
        wards=tuple(wards),
        volunteers=tuple(volunteers),
        sealed=sealed,
        current=current,
        pinned=matching.hold_pins(pins, wards, volunteers, sealed),
    )


def communities_with_wards() -> set[str]:
    """Codes of the communities that have at least one ward."""
    return {
        code[:12]
        for code in Ward.objects.values_list("resident__place__code", flat=True).distinct()
    }
