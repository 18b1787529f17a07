"""Scoped reads of checkpoint rostering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from linli.common.scope import access, scoped
from linli.places.models import Level, Place
from linli.places.selectors import access_place

from .models import Notice, Roster, RosterShift, RosterStatus, SwapRequest, SwapStatus


def access_community(actor: Any, code: str) -> Place:
    """A community in the actor's scope (404 outside; 403 for a place of another level)."""
    place = access_place(actor, code)
    if place.level != Level.COMMUNITY:
        raise PermissionDenied
    return place


def access_roster(actor: Any, pk: int) -> Roster:
    return access(Roster, actor, queryset=Roster.objects.select_related("community"), pk=pk)


def access_shift(actor: Any, pk: int) -> RosterShift:
    queryset = RosterShift.objects.select_related(
        "roster__community", "volunteer", "shift_type", "checkpoint"
    )
    return access(RosterShift, actor, queryset=queryset, pk=pk)


def access_swap(actor: Any, pk: int) -> SwapRequest:
    queryset = SwapRequest.objects.select_related("shift__roster", "requester", "partner")
    return access(SwapRequest, actor, queryset=queryset, pk=pk)


def own_volunteer(actor: Any):
    return getattr(actor, "volunteer", None)


def may_act_on(actor: Any, shift: RosterShift, manage: bool) -> bool:
    """The shift's own volunteer, or someone who manages rosters."""
    mine = own_volunteer(actor)
    return manage or (mine is not None and mine.pk == shift.volunteer_id)


def rosters_of(actor: Any, community: Place) -> QuerySet[Roster]:
    return scoped(Roster, actor).filter(community=community)


@dataclass
class Grid:
    days: list[dt.date]
    rows: list[tuple[str, str, list[list[str]]]]  # post, shift, names per day


def roster_grid(roster: Roster) -> Grid:
    """The wall grid: one row per post and shift, one column per day, names in cells."""
    days = [roster.start + dt.timedelta(days=i) for i in range(roster.days)]
    cells: dict[tuple[str, str], list[list[str]]] = {}
    order: list[tuple[str, str]] = []
    shifts = RosterShift.objects.filter(roster=roster).select_related(
        "volunteer", "shift_type", "checkpoint"
    )
    for shift in sorted(
        shifts, key=lambda s: (s.checkpoint.code, s.shift_type.start, s.volunteer.name)
    ):
        key = (str(shift.checkpoint.name), str(shift.shift_type))
        if key not in cells:
            cells[key] = [[] for _ in days]
            order.append(key)
        cells[key][(shift.day - roster.start).days].append(shift.volunteer.name)
    return Grid(days, [(post, shift, cells[post, shift]) for post, shift in order])


@dataclass(frozen=True)
class ShiftChange:
    """One volunteer's shifts that a revision takes away (or moves) and gives."""

    volunteer: Any
    removed: tuple[RosterShift, ...]
    added: tuple[RosterShift, ...]


def roster_in_force(roster: Roster) -> Roster | None:
    """The published roster of the same period that ``roster`` would replace (or the one it
    was based on), if any and not ``roster`` itself."""
    published = (
        Roster.objects.filter(
            community=roster.community, start=roster.start, status=RosterStatus.PUBLISHED
        )
        .exclude(pk=roster.pk)
        .first()
    )
    return published or roster.based_on


def roster_changes(roster: Roster, against: Roster | None = None) -> list[ShiftChange]:
    """Per affected volunteer (by name), the shifts of ``against`` (default: the roster in
    force) that ``roster`` no longer has as they were, and the ones it adds. A shift moved
    to another post or shift type counts as one taken away and one given."""
    against = against if against is not None else roster_in_force(roster)
    if against is None:
        return []

    def shifts_of(which: Roster) -> dict[tuple, RosterShift]:
        rows = RosterShift.objects.filter(roster=which).select_related(
            "volunteer", "shift_type", "checkpoint"
        )
        return {(s.volunteer_id, s.day, s.shift_type_id, s.checkpoint_id): s for s in rows}

    before, after = shifts_of(against), shifts_of(roster)
    removed = [before[k] for k in before.keys() - after.keys()]
    added = [after[k] for k in after.keys() - before.keys()]
    people: dict[int, Any] = {}
    for shift in removed + added:
        people.setdefault(shift.volunteer_id, shift.volunteer)
    return [
        ShiftChange(
            volunteer,
            tuple(sorted((s for s in removed if s.volunteer_id == pk), key=lambda s: s.day)),
            tuple(sorted((s for s in added if s.volunteer_id == pk), key=lambda s: s.day)),
        )
        for pk, volunteer in sorted(people.items(), key=lambda item: item[1].name)
    ]


def my_shifts(actor: Any, *, today: dt.date | None = None) -> list[RosterShift]:
    """The actor's shifts in published rosters, from yesterday on."""
    volunteer = own_volunteer(actor)
    if volunteer is None:
        return []
    today = today or timezone.localdate()
    return list(
        RosterShift.objects.filter(
            volunteer=volunteer,
            roster__status=RosterStatus.PUBLISHED,
            day__gte=today - dt.timedelta(days=1),
        ).select_related("shift_type", "checkpoint", "roster")
    )


def my_notices(actor: Any) -> list[Notice]:
    volunteer = own_volunteer(actor)
    if volunteer is None:
        return []
    return list(Notice.objects.filter(volunteer=volunteer)[:10])


def my_swaps(actor: Any) -> list[SwapRequest]:
    volunteer = own_volunteer(actor)
    if volunteer is None:
        return []
    return list(
        SwapRequest.objects.filter(requester=volunteer).select_related(
            "shift__shift_type", "partner", "partner_shift"
        )[:10]
    )


def pending_swaps(actor: Any, roster: Roster) -> list[SwapRequest]:
    return list(
        scoped(SwapRequest, actor)
        .filter(shift__roster=roster, status=SwapStatus.PENDING)
        .select_related(
            "shift__shift_type", "shift__checkpoint", "requester", "partner", "partner_shift"
        )
    )


def volunteer_names(actor: Any, ids: list[int]) -> dict[int, str]:
    from linli.guardianship.models import Volunteer

    return dict(scoped(Volunteer, actor).filter(pk__in=ids).values_list("pk", "name"))


def my_shift_types(actor: Any) -> QuerySet:
    """The shift types of the community the actor's volunteer lives in."""
    from .models import ShiftType

    volunteer = own_volunteer(actor)
    if volunteer is None:
        return ShiftType.objects.none()
    return ShiftType.objects.filter(community__code=volunteer.place.code[:12])
