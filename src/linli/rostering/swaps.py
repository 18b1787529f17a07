"""Which swaps the rules allow: every candidate is checked with the exact evaluator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain.rostering.community import Placement
from linli.domain.rostering.community_rules import RuleChecker
from linli.guardianship.models import Volunteer

from .models import RosterShift
from .problem import problem_for

MAX_OFFERS = 30


@dataclass(frozen=True)
class Offer:
    partner: Volunteer
    partner_shift: RosterShift | None  # None: the partner takes the shift (give away)


def _placement(shift: RosterShift, person: int | None = None) -> Placement:
    return Placement(
        str(person or shift.volunteer_id),
        (shift.day - shift.roster.start).days,
        shift.shift_type.code,
        shift.checkpoint.code,
        shift.skill,
    )


def _roster_placements(shift: RosterShift) -> list[RosterShift]:
    return list(
        RosterShift.objects.filter(roster=shift.roster_id).select_related(
            "shift_type", "checkpoint", "roster"
        )
    )


def _swapped(
    rows: list[RosterShift], shift: RosterShift, partner: int, partner_shift: RosterShift | None
) -> list[Placement]:
    requester = shift.volunteer_id
    placed = []
    for row in rows:
        if row.volunteer_id not in (requester, partner):
            continue
        if row.pk == shift.pk:
            placed.append(_placement(row, partner))
        elif partner_shift is not None and row.pk == partner_shift.pk:
            placed.append(_placement(row, requester))
        else:
            placed.append(_placement(row))
    return placed


def _new_breaks(
    checker: RuleChecker, rows: list[RosterShift], shift: RosterShift, partner: int, other
) -> list[str]:
    people = [str(shift.volunteer_id), str(partner)]
    if people[1] not in checker.staff:
        return [_("the partner is not available (not active, or resting)")]
    after = _swapped(rows, shift, partner, other)
    seen = set()
    for placed in after:
        if (placed.person, placed.day) in seen:
            return [_("one of them would work twice that day")]
        seen.add((placed.person, placed.day))
    before = [_placement(row) for row in rows if str(row.volunteer_id) in people]
    known = {(v.person, v.rule, v.day) for v in checker.check(before, people)}
    return [
        rule_in_words(v.rule)
        for v in checker.check(after, people)
        if (v.person, v.rule, v.day) not in known
    ]


def rule_in_words(rule: str) -> str:
    """A broken rule of the evaluator or the community checks, as the volunteer reads it."""
    words = {
        "fixed day off": _("a day the volunteer cannot work (away or resting)"),
        "shift rotation": _("too little rest between two shifts"),
        "max shifts": _("the shift needs a skill the volunteer does not have"),
        "max total minutes": _("too many hours in the period"),
        "max consecutive shifts": _("too many days in a row"),
        "min consecutive days off": _("too short a break between working days"),
        "max weekends": _("too many weekends worked"),
        "max_hours_week": _("too many hours in a week"),
        "days_off_per_fortnight": _("too few days off in the fortnight"),
    }
    return words.get(rule, rule)


def swap_breaks(
    shift: RosterShift, partner: Volunteer, partner_shift: RosterShift | None
) -> list[str]:
    """The rules the swap would break for either volunteer (empty: allowed)."""
    if partner.pk == shift.volunteer_id:
        return [_("a volunteer cannot swap with themselves")]
    roster = shift.roster
    problem, _index = problem_for(roster.community, roster.start, roster.days)
    checker = RuleChecker(problem)
    return _new_breaks(checker, _roster_placements(shift), shift, partner.pk, partner_shift)


def swap_offers(shift: RosterShift, *, today: dt.date | None = None) -> list[Offer]:
    """Partners for whom taking the shift (or trading one of theirs for it, in the same
    week, not yet past) breaks no rule, give-aways first."""
    today = today or timezone.localdate()
    roster = shift.roster
    problem, index = problem_for(roster.community, roster.start, roster.days)
    checker = RuleChecker(problem)
    rows = _roster_placements(shift)
    offers: list[Offer] = []
    for key, volunteer in index.volunteers.items():
        if int(key) == shift.volunteer_id:
            continue
        if not _new_breaks(checker, rows, shift, volunteer.pk, None):
            offers.append(Offer(volunteer, None))
        if len(offers) >= MAX_OFFERS:
            return offers
    week = (shift.day - roster.start).days // 7
    for row in rows:
        if (
            row.volunteer_id == shift.volunteer_id
            or row.day < today
            or (row.day - roster.start).days // 7 != week
            or (row.day, row.shift_type_id) == (shift.day, shift.shift_type_id)
            or str(row.volunteer_id) not in index.volunteers
        ):
            continue
        if not _new_breaks(checker, rows, shift, row.volunteer_id, row):
            offers.append(Offer(index.volunteers[str(row.volunteer_id)], row))
        if len(offers) >= MAX_OFFERS:
            break
    return offers
