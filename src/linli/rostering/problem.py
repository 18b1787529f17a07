"""From the database to the pure community problem, and the names to map results back."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

from django.utils import timezone

from linli.domain.rostering import community as c
from linli.domain.rostering.fatigue import Limits, Span, assess
from linli.guardianship.models import Volunteer, VolunteerStatus
from linli.places.models import Place

from .models import (
    Checkpoint,
    CoverNeed,
    Roster,
    RosterRules,
    RosterShift,
    ShiftType,
    ShiftWish,
    Unavailability,
    WorkedSpan,
)


class RosterInputError(ValueError):
    """The community's data cannot be rostered; the message says what and where."""


@dataclass
class Index:
    """Ids of the problem back to rows."""

    volunteers: dict[str, Volunteer] = field(default_factory=dict)
    shift_types: dict[str, ShiftType] = field(default_factory=dict)
    checkpoints: dict[str, Checkpoint] = field(default_factory=dict)
    resting: dict[str, dt.date] = field(default_factory=dict)  # excluded for fatigue until


def rules_of(community: Place) -> RosterRules:
    """The community's rules; the defaults when it has set none (not stored)."""
    return RosterRules.objects.filter(community=community).first() or RosterRules(
        community=community
    )


def pure_rules(rules: RosterRules) -> c.Rules:
    return c.Rules(
        max_hours_day=rules.max_hours_day,
        max_hours_week=rules.max_hours_week,
        min_rest_hours=rules.min_rest_hours,
        forbidden=tuple(tuple(pair) for pair in rules.forbidden_successions or ()),
        max_consecutive_days=rules.max_consecutive_days,
        min_consecutive_days_off=rules.min_consecutive_days_off,
        days_off_per_fortnight=rules.days_off_per_fortnight,
        max_weekends_per_fortnight=rules.max_weekends_per_fortnight,
    )


def fatigue_limits(rules: RosterRules) -> Limits:
    return Limits(
        max_hours_7d=rules.max_hours_week,
        max_hours_14d=2 * rules.max_hours_week,
        max_consecutive_days=rules.max_consecutive_days,
        min_rest_hours=rules.min_rest_hours,
        min_consecutive_days_off=rules.min_consecutive_days_off,
    )


def community_volunteers(community: Place):
    return Volunteer.objects.filter(
        place__code__startswith=community.code, status=VolunteerStatus.ACTIVE
    ).order_by("id")


def community_fatigue(community: Place, *, now: dt.datetime | None = None):
    """Fatigue of every volunteer of the community who worked in the last 14 days."""
    now = timezone.localtime(now or timezone.now())
    spans = [
        Span(str(w.volunteer_id), timezone.localtime(w.started_at), timezone.localtime(w.ended_at))
        for w in WorkedSpan.objects.filter(
            volunteer__place__code__startswith=community.code,
            ended_at__isnull=False,
            ended_at__gt=now - dt.timedelta(days=14),
        )
    ]
    return assess(spans, now=now, limits=fatigue_limits(rules_of(community)))


def shift_start(shift: RosterShift) -> dt.datetime:
    """When the shift begins (aware, in the site's time zone)."""
    return timezone.make_aware(dt.datetime.combine(shift.day, shift.shift_type.start))


def _has_worked(shift: RosterShift) -> bool:
    try:
        return shift.worked is not None
    except WorkedSpan.DoesNotExist:
        return False


def _less_fixed(needs: list[c.Need], fixed: list[c.Placement]) -> list[c.Need]:
    """``needs`` with one fewer wanted per fixed placement of someone outside the problem."""
    done = Counter((p.post, p.day, p.slot, p.skill) for p in fixed)
    result = []
    for need in needs:
        key = (need.post, need.day, need.slot, need.skill)
        taken = min(done[key], need.preferred)
        done[key] -= taken
        result.append(
            replace(need, minimum=max(0, need.minimum - taken), preferred=need.preferred - taken)
        )
    return result


def problem_for(
    community: Place,
    start: dt.date,
    days: int,
    *,
    published: Roster | None = None,
    frozen_before: int = 0,
    now: dt.datetime | None = None,
) -> tuple[c.Problem, Index]:
    """The community's roster problem for ``days`` days from ``start`` (a Monday)."""
    if start.weekday() != 0:
        raise RosterInputError(f"period: the first day {start} is not a Monday")
    if days <= 0 or days % 7:
        raise RosterInputError(f"period: {days} days is not a whole number of weeks")
    index = Index()
    end = start + dt.timedelta(days=days - 1)
    for shift in ShiftType.objects.filter(community=community):
        index.shift_types[shift.code] = shift
    slots = tuple(
        c.Slot(s.code, s.start.hour * 60 + s.start.minute, s.end.hour * 60 + s.end.minute, s.name)
        for s in index.shift_types.values()
    )
    needs: list[c.Need] = []
    for need in CoverNeed.objects.filter(
        checkpoint__place__code__startswith=community.code
    ).select_related("checkpoint", "shift_type"):
        index.checkpoints[need.checkpoint.code] = need.checkpoint
        for day in range(days):
            weekday = (start + dt.timedelta(days=day)).weekday()
            if need.weekday is None or need.weekday == weekday:
                needs.append(
                    c.Need(
                        need.checkpoint.code,
                        day,
                        need.shift_type.code,
                        need.minimum,
                        need.preferred,
                        need.skill,
                    )
                )
    away: dict[int, set[int]] = {}
    for gap in Unavailability.objects.filter(
        volunteer__place__code__startswith=community.code, first_day__lte=end, last_day__gte=start
    ):
        first = max(0, (gap.first_day - start).days)
        last = min(days - 1, (gap.last_day - start).days)
        away.setdefault(gap.volunteer_id, set()).update(range(first, last + 1))
    for row in community_fatigue(community, now=now):
        if row.rested_on is not None and row.rested_on > start:
            index.resting[row.person] = row.rested_on
    people = []
    for volunteer in community_volunteers(community):
        key = str(volunteer.pk)
        index.volunteers[key] = volunteer
        off = set(away.get(volunteer.pk, ()))
        if key in index.resting:
            off.update(range(min(days, (index.resting[key] - start).days)))
        people.append(c.Person(key, frozenset(volunteer.skills or ()), frozenset(off)))
    requests = [
        c.Request(
            str(w.volunteer_id),
            (w.day - start).days,
            w.wants,
            w.weight,
            w.shift_type.code if w.shift_type else "",
        )
        for w in ShiftWish.objects.filter(
            volunteer__in=list(index.volunteers.values()), day__gte=start, day__lte=end
        ).select_related("shift_type")
    ]
    kept: tuple[c.Placement, ...] = ()
    worked: set[tuple[str, int]] = set()
    held: set[tuple[str, int]] = set()
    if published is not None:
        moment = now or timezone.now()
        shifts = list(
            RosterShift.objects.filter(roster=published).select_related(
                "shift_type", "checkpoint", "worked"
            )
        )
        kept = tuple(
            c.Placement(
                str(s.volunteer_id),
                (s.day - start).days,
                s.shift_type.code,
                s.checkpoint.code,
                s.skill,
            )
            for s in shifts
        )
        for shift, placed in zip(shifts, kept, strict=True):
            begins = shift_start(shift)
            if begins <= moment or _has_worked(shift):
                worked.add((placed.person, placed.day))
            elif begins <= moment + dt.timedelta(hours=24):
                held.add((placed.person, placed.day))
        # What the people no longer rostered did on fixed days still covered the need.
        fixed = [
            p
            for p in kept
            if p.person not in index.volunteers
            and (p.day < frozen_before or (p.person, p.day) in worked)
        ]
        needs = _less_fixed(needs, fixed)
        # A shift that stays as it was is worked whatever has been marked off since.
        stays: dict[str, set[int]] = {}
        for p in kept:
            if p.day < frozen_before or (p.person, p.day) in worked:
                stays.setdefault(p.person, set()).add(p.day)
        people = [
            replace(p, days_off=p.days_off - stays[p.id]) if p.id in stays else p for p in people
        ]
    problem = c.Problem(
        days=days,
        slots=slots,
        needs=tuple(needs),
        people=tuple(people),
        rules=pure_rules(rules_of(community)),
        requests=tuple(requests),
        published=kept,
        frozen_before=frozen_before,
        worked=frozenset(worked),
        held=frozenset(held),
    )
    try:
        c.validate(problem)
    except c.CommunityProblemError as error:
        raise RosterInputError(str(error)) from error
    return problem, index
