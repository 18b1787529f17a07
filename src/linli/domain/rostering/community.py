"""A community's checkpoint roster, mapped onto the Shift Scheduling Benchmark model.

The community speaks of posts (卡口), shift types with clock times, cover needs per
post/day/shift with a minimum and a preferred head-count and an optional skill,
volunteers with skills, days they cannot work and requests, and the community's
rest rules. The benchmark model (``model.Instance``) speaks of shift types with a
length, forbidden successions, per-employee limits, days off, on/off requests and
cover per (day, shift type). This module translates one into the other and back:

* Posts whose needs share a shift and a skill are interchangeable for the solver,
  so they are pooled: one benchmark shift type per (shift, skill, tier), where the
  *core* tier covers the minimum head-count (heavy under-cover weight) and the
  *extra* tier the head-count between minimum and preferred (light weight). This
  keeps the model small (a few types instead of one per post) without changing its
  optimum; people are placed on posts afterwards (``place_on_posts``).
* A need for a skill becomes a type that volunteers without the skill may work 0
  times (``MaxShifts``).
* Min rest between two shifts and the community's forbidden successions become
  ``ForbiddenNext`` pairs computed from the shifts' clock times.
* Max hours a week becomes ``MaxTotalMinutes`` over the period, and is then checked
  week by week (``rule_violations``), as is days off per fortnight; the solve loop
  (``solve_community``) adds a day off where one of these is broken and solves again.
* Unavailability and fatigue become fixed days off; preferences become on/off
  requests; a published roster becomes heavy on-requests (minimal disruption).

Day 0 of a problem is a Monday (the benchmark's weekends are days 5 and 6 of each
week), and a problem covers whole weeks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Cover, Instance, Shift, Staff
from .model import Request as BRequest
from .model import Roster as Grid

DAY_MINUTES = 24 * 60

# Objective weights (penalties). A missing person below the minimum outweighs
# everything else; a published shift is kept unless a minimum needs its person
# elsewhere (so a re-roster does not move people around to fill a preferred
# head-count); a missing person below the preferred head-count outweighs any single
# preference. A published shift in the next 24 hours is held harder still, yet a need
# below its minimum that nobody else can cover may take it; days past and shifts
# already worked are frozen (the service copies them over exactly, too).
W_MIN_UNDER = 1000
W_PREF_UNDER = 50
W_OVER = 5  # above any wish (1–3): nobody is posted where not needed just to grant a wish
W_KEEP = 60
W_HOLD = 900
W_FROZEN = 100_000


class CommunityProblemError(ValueError):
    """A rule set or input that cannot be rostered; ``where`` names the field."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Slot:
    """A shift type of the community: clock times, may cross midnight (end <= start)."""

    code: str
    start_minute: int
    end_minute: int
    name: str = ""

    @property
    def length(self) -> int:
        span = self.end_minute - self.start_minute
        return span if span > 0 else span + DAY_MINUTES


@dataclass(frozen=True)
class Need:
    """Cover needed at one post on one day for one shift."""

    post: str
    day: int
    slot: str
    minimum: int
    preferred: int
    skill: str = ""


@dataclass(frozen=True)
class Person:
    id: str
    skills: frozenset[str] = frozenset()
    days_off: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Request:
    """A wish: work (``on``) or not work a shift (``slot``; empty = any shift) that day."""

    person: str
    day: int
    on: bool
    weight: int
    slot: str = ""


@dataclass(frozen=True)
class Placement:
    """One person at one post on one day for one shift."""

    person: str
    day: int
    slot: str
    post: str
    skill: str = ""  # the skill of the need row this placement fills


@dataclass(frozen=True)
class Rules:
    max_hours_day: float = 12
    max_hours_week: float = 48
    min_rest_hours: float = 11
    forbidden: tuple[tuple[str, str], ...] = ()  # (shift, next day's shift)
    max_consecutive_days: int = 6
    min_consecutive_days_off: int = 1
    days_off_per_fortnight: int = 4
    max_weekends_per_fortnight: int = 1


@dataclass(frozen=True)
class Problem:
    days: int
    slots: tuple[Slot, ...]
    needs: tuple[Need, ...]
    people: tuple[Person, ...]
    rules: Rules = field(default_factory=Rules)
    requests: tuple[Request, ...] = ()
    published: tuple[Placement, ...] = ()  # the roster in force: keep it where possible
    frozen_before: int = 0  # days before this index keep the published roster exactly
    # (person, day) of published shifts already started or worked: kept exactly
    worked: frozenset[tuple[str, int]] = frozenset()
    # (person, day) of published shifts starting in the next 24 hours: held (W_HOLD)
    held: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True)
class TypeKey:
    slot: str
    skill: str
    extra: bool


@dataclass
class Mapping:
    """How the benchmark instance's shift types and staff relate to the community."""

    types: list[TypeKey]
    type_ids: list[str]
    staff: list[str]  # person ids in instance order
    by_key: dict[TypeKey, str] = field(default_factory=dict)

    def key_of(self, type_id: str) -> TypeKey:
        return self.types[self.type_ids.index(type_id)]


def validate(problem: Problem) -> None:
    """Raise ``CommunityProblemError`` for input no roster can be built from."""
    rules = problem.rules
    if problem.days <= 0 or problem.days % 7:
        raise CommunityProblemError(
            "period", f"must be whole weeks starting on a Monday, got {problem.days} days"
        )
    if not problem.slots:
        raise CommunityProblemError("shift types", "the community has no shift types")
    codes = [s.code for s in problem.slots]
    if len(set(codes)) != len(codes):
        raise CommunityProblemError("shift types", "two shift types share a code")
    for slot in problem.slots:
        if not (0 <= slot.start_minute < DAY_MINUTES and 0 <= slot.end_minute < DAY_MINUTES):
            raise CommunityProblemError(f"shift type {slot.code}", "times must lie within a day")
        if slot.length > rules.max_hours_day * 60:
            raise CommunityProblemError(
                f"shift type {slot.code}",
                f"lasts {slot.length / 60:g} h, longer than the rule's "
                f"max {rules.max_hours_day:g} h a day, so nobody may work it",
            )
        if slot.length > rules.max_hours_week * 60:
            raise CommunityProblemError(
                f"shift type {slot.code}",
                f"lasts {slot.length / 60:g} h, longer than max {rules.max_hours_week:g} h a week",
            )
    _check_rules(rules, problem.days, set(codes))
    known_slots = set(codes)
    ids = [p.id for p in problem.people]
    if len(set(ids)) != len(ids):
        raise CommunityProblemError("volunteers", "a volunteer is listed twice")
    for i, need in enumerate(problem.needs):
        where = f"cover need {i + 1} (post {need.post}, day {need.day + 1}, shift {need.slot})"
        if need.slot not in known_slots:
            raise CommunityProblemError(where, f"unknown shift type {need.slot!r}")
        if not 0 <= need.day < problem.days:
            raise CommunityProblemError(where, "day outside the period")
        if need.minimum < 0 or need.preferred < need.minimum:
            raise CommunityProblemError(where, "head-counts must satisfy 0 <= minimum <= preferred")
    known_people = set(ids)
    for i, request in enumerate(problem.requests):
        where = f"request {i + 1} (volunteer {request.person}, day {request.day + 1})"
        if request.person not in known_people:
            raise CommunityProblemError(where, "unknown volunteer")
        if request.slot and request.slot not in known_slots:
            raise CommunityProblemError(where, f"unknown shift type {request.slot!r}")
        if not 0 <= request.day < problem.days:
            raise CommunityProblemError(where, "day outside the period")
        if request.weight <= 0:
            raise CommunityProblemError(where, "weight must be positive")


def _check_rules(rules: Rules, days: int, slots: set[str]) -> None:
    positive = {
        "max hours a day": rules.max_hours_day,
        "max hours a week": rules.max_hours_week,
        "max consecutive days": rules.max_consecutive_days,
    }
    for name, value in positive.items():
        if value <= 0:
            raise CommunityProblemError(f"rules: {name}", f"must be positive, got {value:g}")
    if rules.max_hours_day > 24:
        raise CommunityProblemError("rules: max hours a day", "cannot exceed 24")
    if rules.min_rest_hours < 0 or rules.min_rest_hours >= 24:
        raise CommunityProblemError(
            "rules: min rest", "must be at least 0 h and under 24 h between two shifts"
        )
    if not 0 <= rules.min_consecutive_days_off <= 7:
        raise CommunityProblemError("rules: min consecutive days off", "must be 0 to 7")
    if not 0 <= rules.days_off_per_fortnight <= 13:
        raise CommunityProblemError(
            "rules: days off per fortnight", "must be 0 to 13 (14 leaves nobody to work)"
        )
    if not 0 <= rules.max_weekends_per_fortnight <= 2:
        raise CommunityProblemError("rules: max weekends per fortnight", "must be 0, 1 or 2")
    for before, after in rules.forbidden:
        for code in (before, after):
            if code not in slots:
                raise CommunityProblemError(
                    "rules: forbidden successions", f"unknown shift type {code!r}"
                )


def forbidden_pairs(problem: Problem) -> set[tuple[str, str]]:
    """Shift pairs (today, tomorrow) that break min rest or a named forbidden succession."""
    min_rest = problem.rules.min_rest_hours * 60
    pairs = set(problem.rules.forbidden)
    for first in problem.slots:
        ends = first.start_minute + first.length
        for second in problem.slots:
            if DAY_MINUTES + second.start_minute - ends < min_rest:
                pairs.add((first.code, second.code))
    return pairs


def _keys(problem: Problem) -> list[TypeKey]:
    order = {s.code: i for i, s in enumerate(problem.slots)}
    keys: set[TypeKey] = set()
    for need in problem.needs:
        keys.add(TypeKey(need.slot, need.skill, False))
        if need.preferred > need.minimum:
            keys.add(TypeKey(need.slot, need.skill, True))
    for slot in problem.slots:  # a type per shift even without needs: requests may name it
        keys.add(TypeKey(slot.code, "", False))
    return sorted(keys, key=lambda k: (order[k.slot], k.skill, k.extra))


def build_mapping(problem: Problem) -> Mapping:
    keys = _keys(problem)
    mapping = Mapping(
        types=keys,
        type_ids=[f"T{i}" for i in range(len(keys))],
        staff=[p.id for p in problem.people],
    )
    mapping.by_key = dict(zip(keys, mapping.type_ids, strict=True))
    return mapping


def _need_type(mapping: Mapping, slot: str, post_skill: str) -> str:
    """The core type of a shift and skill; the shift's general type when no need asks for it."""
    return (
        mapping.by_key.get(TypeKey(slot, post_skill, False))
        or mapping.by_key[TypeKey(slot, "", False)]
    )


def build_instance(problem: Problem) -> tuple[Instance, Mapping]:
    """The problem as a benchmark instance (FORMAT.md), and the mapping back."""
    validate(problem)
    mapping = build_mapping(problem)
    slots = {s.code: s for s in problem.slots}
    rules = problem.rules
    weeks = problem.days // 7
    forbidden = forbidden_pairs(problem)
    pairs = list(zip(mapping.types, mapping.type_ids, strict=True))
    shifts = tuple(
        Shift(
            tid,
            slots[key.slot].length,
            frozenset(other_id for other, other_id in pairs if (key.slot, other.slot) in forbidden),
        )
        for key, tid in pairs
    )
    # Days off per fortnight also cap the minutes: exact when all shifts are equally long.
    working_days = problem.days - -(-rules.days_off_per_fortnight * problem.days // 14)
    longest = max(s.length for s in problem.slots)
    max_total = min(int(rules.max_hours_week * 60) * weeks, working_days * longest)
    max_weekends = (rules.max_weekends_per_fortnight * weeks + 1) // 2
    fixed_off = _fixed_days_off(problem)
    staff = tuple(
        Staff(
            id=person.id,
            max_shifts={
                tid: problem.days if (not key.skill or key.skill in person.skills) else 0
                for key, tid in pairs
            },
            max_minutes=max_total,
            min_minutes=0,
            max_consecutive=rules.max_consecutive_days,
            min_consecutive=1,
            min_days_off=rules.min_consecutive_days_off,
            max_weekends=max_weekends,
            days_off=frozenset(fixed_off[person.id]),
        )
        for person in problem.people
    )
    on, off = _requests(problem, mapping)
    requirement: dict[tuple[int, str], int] = defaultdict(int)
    for need in problem.needs:
        core = mapping.by_key[TypeKey(need.slot, need.skill, False)]
        requirement[need.day, core] += need.minimum
        if need.preferred > need.minimum:
            extra = mapping.by_key[TypeKey(need.slot, need.skill, True)]
            requirement[need.day, extra] += need.preferred - need.minimum
    cover = tuple(
        Cover(day, tid, requirement[day, tid], W_PREF_UNDER if key.extra else W_MIN_UNDER, W_OVER)
        for day in range(problem.days)
        for key, tid in pairs
    )
    instance = Instance(
        horizon=problem.days,
        shifts=shifts,
        staff=staff,
        on_requests=tuple(on),
        off_requests=tuple(off),
        cover=cover,
        name="community",
    )
    return instance, mapping


def _fixed_days_off(problem: Problem) -> dict[str, set[int]]:
    off = {p.id: set(p.days_off) for p in problem.people}
    if problem.frozen_before:
        working = {(p.person, p.day) for p in problem.published}
        for person in problem.people:
            for day in range(min(problem.frozen_before, problem.days)):
                if (person.id, day) not in working:
                    off[person.id].add(day)
    return off


def _requests(problem: Problem, mapping: Mapping) -> tuple[list[BRequest], list[BRequest]]:
    on: list[BRequest] = []
    off: list[BRequest] = []
    types_of_slot: dict[str, list[str]] = defaultdict(list)
    for key, tid in zip(mapping.types, mapping.type_ids, strict=True):
        types_of_slot[key.slot].append(tid)
    for request in problem.requests:
        slots = [request.slot] if request.slot else [s.code for s in problem.slots]
        if request.on:
            # one shift ID per on-request in the model: the shift's general type
            tid = _need_type(mapping, slots[0], "")
            on.append(BRequest(request.person, request.day, tid, request.weight))
        else:
            off += [
                BRequest(request.person, request.day, tid, request.weight)
                for slot in slots
                for tid in types_of_slot[slot]
            ]
    known = {p.id for p in problem.people}
    for placed in problem.published:
        if placed.person not in known or not 0 <= placed.day < problem.days:
            continue
        key = (placed.person, placed.day)
        if placed.day < problem.frozen_before or key in problem.worked:
            weight = W_FROZEN
        elif key in problem.held:
            weight = W_HOLD
        else:
            weight = W_KEEP
        tid = _need_type(mapping, placed.slot, placed.skill)
        on.append(BRequest(placed.person, placed.day, tid, weight))
    return on, off


# --- back from the benchmark grid ---------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    """A need left short: how many below the minimum and below the preferred head-count."""

    post: str
    day: int
    slot: str
    skill: str
    below_minimum: int
    below_preferred: int


def place_on_posts(
    problem: Problem, mapping: Mapping, grid: Grid
) -> tuple[list[Placement], list[Shortfall]]:
    """Turn a benchmark roster (staff × day → type ID or None) into placements on posts.

    Within each pooled (day, shift, skill) group the minimum of every post is filled
    first, then the preferred; a person keeps their published post where it has room."""
    published = {(p.person, p.day, p.slot, p.skill): p.post for p in problem.published}
    crowd: dict[tuple[int, str, str, bool], list[str]] = defaultdict(list)
    for person, row in zip(grid.staff, grid.rows, strict=True):
        for day, tid in enumerate(row):
            if tid is not None:
                key = mapping.key_of(tid)
                crowd[day, key.slot, key.skill, key.extra].append(person)
    needs: dict[tuple[int, str, str], list[Need]] = defaultdict(list)
    for need in problem.needs:
        needs[need.day, need.slot, need.skill].append(need)
    placements: list[Placement] = []
    shortfalls: list[Shortfall] = []
    groups = set(needs) | {(d, s, k) for (d, s, k, _extra) in crowd}
    for day, slot, skill in sorted(groups):
        rows = sorted(needs.get((day, slot, skill), []), key=lambda n: n.post)
        filled: dict[str, int] = defaultdict(int)
        for extra in (False, True):
            people = list(crowd.get((day, slot, skill, extra), []))
            room = {n.post: (n.minimum if not extra else n.preferred - n.minimum) for n in rows}
            people.sort(key=lambda p: published.get((p, day, slot, skill)) not in room)
            for person in people:
                post = published.get((person, day, slot, skill))
                if post not in room or room[post] <= 0:
                    post = next((n.post for n in rows if room[n.post] > 0), None)
                if post is None and not rows:
                    continue  # a shift nobody needs (wished for only): not rostered
                if post is None:  # over-cover: the first post of the group
                    post = rows[0].post
                else:
                    room[post] -= 1
                filled[post] += 1
                placements.append(Placement(person, day, slot, post, skill))
        for need in rows:
            got = filled[need.post]
            if got < need.preferred:
                shortfalls.append(
                    Shortfall(
                        need.post,
                        day,
                        slot,
                        skill,
                        max(0, need.minimum - got),
                        need.preferred - got,
                    )
                )
    placements.sort(key=lambda p: (p.day, p.slot, p.post, p.person))
    return placements, shortfalls


def grid_of(problem: Problem, mapping: Mapping, placements: Iterable[Placement]) -> Grid:
    """Placements as a benchmark roster (the inverse of ``place_on_posts``). Within a
    (day, shift, skill) group people fill the core tier up to the minimum, then the extra
    tier: the tiers are the model's device, the placements are the roster."""
    minimum: dict[tuple[int, str, str], int] = defaultdict(int)
    for need in problem.needs:
        minimum[need.day, need.slot, need.skill] += need.minimum
    row_of = {person: i for i, person in enumerate(mapping.staff)}
    rows: list[list[str | None]] = [[None] * problem.days for _ in mapping.staff]
    taken: dict[tuple[int, str, str], int] = defaultdict(int)
    # those who asked for the shift (or hold it in the published roster) take the core
    # tier first: their on-requests name the core type
    first = problem.slots[0].code  # a wish for "any shift" names the first shift
    asked = {(r.person, r.day, r.slot or first) for r in problem.requests if r.on}
    asked |= {(p.person, p.day, p.slot) for p in problem.published}

    def order(p: Placement) -> tuple:
        return (p.day, p.slot, p.skill, (p.person, p.day, p.slot) not in asked, p.person)

    for placed in sorted(placements, key=order):
        group = (placed.day, placed.slot, placed.skill)
        tid = _need_type(mapping, placed.slot, placed.skill)
        extra = mapping.by_key.get(TypeKey(placed.slot, placed.skill, True))
        if taken[group] >= minimum[group] and extra is not None:
            tid = extra
        taken[group] += 1
        rows[row_of[placed.person]][placed.day] = tid
    return Grid.from_rows(mapping.staff, rows)
