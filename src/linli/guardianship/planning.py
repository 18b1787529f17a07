"""Build the planner's scenario for one community from the database, and read its plan.

The planner (:mod:`linli.domain.matching`) knows nothing of the database: it takes
the scenario dict of ``linli match --input`` and returns the plan dict. This module
is the only bridge between the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

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


def community_of(place: Place) -> Place:
    """The community a place lies in (the place itself at community level)."""
    if place.level == Level.COMMUNITY:
        return place
    return Place.objects.get(level=Level.COMMUNITY, code=place.code[:12])


def _age(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _compound_and_xy(
    code: str, places: dict[str, tuple[str, str | None, float | None, float | None]]
):
    """Walk up from a building (or compound) to its compound; coordinates of the nearest known place."""
    x = y = None
    compound = None
    current: str | None = code
    while current and current in places:
        level, parent, px, py = places[current]
        if x is None and px is not None:
            x, y = px, py
        if level == Level.COMPOUND:
            compound = current
            break
        current = parent
    return compound, x or 0.0, y or 0.0


def scenario_for(community: Place, *, today: dt.date | None = None) -> dict[str, Any]:
    """The planner input for one community, in the ``linli match --input`` format."""
    today = today or dt.datetime.now(SHANGHAI).date()
    prefix = community.code
    places = {
        code: (level, parent, x, y)
        for code, level, parent, x, y in Place.objects.filter(code__startswith=prefix)
        .exclude(pk=community.pk)
        .values_list("code", "level", "parent__code", "x", "y")
    }
    wards = []
    for ward in (
        Ward.objects.filter(
            resident__place__code__startswith=prefix, resident__moved_out__isnull=True
        )
        .select_related("resident__place")
        .order_by("pk")
    ):
        compound, x, y = _compound_and_xy(ward.resident.place.code, places)
        age = _age(ward.resident.birth_date, today)
        wards.append(
            {
                "id": ward.pk,
                "compound": compound or prefix,
                "x": x,
                "y": y,
                "sex": ward.resident.sex or "",
                "minor": age is not None and age < ADULT_AGE,
                "needs": sorted({SKILLED_NEEDS[n] for n in ward.needs if n in SKILLED_NEEDS}),
            }
        )
    volunteers = []
    for volunteer in (
        Volunteer.objects.filter(place__code__startswith=prefix)
        .select_related("place")
        .prefetch_related("passes")
    ):
        compound, x, y = _compound_and_xy(volunteer.place.code, places)
        volunteers.append(
            {
                "id": volunteer.pk,
                "compound": compound or prefix,
                "passes": sorted(p.code for p in volunteer.passes.all()),
                "x": x,
                "y": y,
                "sex": volunteer.sex or "",
                "vetted": volunteer.vetted,
                "skills": list(volunteer.skills),
                "capacity": volunteer.capacity,
                "backup_capacity": volunteer.backup_capacity,
                "status": volunteer.status or VolunteerStatus.ACTIVE,
            }
        )
    ward_ids = {w["id"] for w in wards}
    current: dict[int, dict[str, Any]] = {}
    pinned = []
    for a in Assignment.objects.filter(ward_id__in=ward_ids).order_by("ward_id", "role"):
        current.setdefault(a.ward_id, {"ward": a.ward_id, "primary": None, "backup": None})[
            a.role
        ] = a.volunteer_id
        if a.pinned:
            pinned.append({"ward": a.ward_id, "role": a.role, "volunteer": a.volunteer_id})
    sealed = [
        code
        for code, (level, *_rest) in places.items()
        if level == Level.COMPOUND and code in _sealed(prefix)
    ]
    return {
        "wards": wards,
        "volunteers": volunteers,
        "sealed": sorted(sealed),
        "current": list(current.values()),
        "pinned": _valid_pins(pinned, wards, volunteers, sealed),
    }


def _sealed(prefix: str) -> set[str]:
    return set(
        Place.objects.filter(
            code__startswith=prefix, level=Level.COMPOUND, sealed=True
        ).values_list("code", flat=True)
    )


def _valid_pins(
    pins: list[dict], wards: list[dict], volunteers: list[dict], sealed: Iterable[str]
) -> list[dict]:
    """Pins that still obey the hard rules; a pin broken by events (the volunteer fell ill,
    the compound was sealed) is released rather than kept against the rules."""
    from linli.domain.matching import can_serve  # the planner's own rule, not a copy

    by_ward = {w["id"]: w for w in wards}
    by_volunteer = {v["id"]: v for v in volunteers}
    sealed_set = set(sealed)
    kept = []
    for pin in pins:
        ward, volunteer = by_ward.get(pin["ward"]), by_volunteer.get(pin["volunteer"])
        if ward and volunteer and can_serve(ward, volunteer, sealed_set):
            kept.append(pin)
    return kept


def communities_with_wards() -> set[str]:
    """Codes of the communities that have at least one ward."""
    from linli.register.models import Ward

    return {
        code[:12]
        for code in Ward.objects.values_list("resident__place__code", flat=True).distinct()
    }
