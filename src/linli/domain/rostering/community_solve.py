"""Roster a community: map it onto the benchmark model, solve with the benchmark solver,
place people on posts, check every rule, and explain what could not be covered."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .community import (
    Person,
    Placement,
    Problem,
    Shortfall,
    build_instance,
    grid_of,
    place_on_posts,
)
from .community_bound import lower_bound
from .community_hint import greedy_roster
from .community_rules import Violation, weekly_and_fortnight_violations
from .model import Roster

MAX_ROUNDS = 6
FINISH_SECONDS = 0.8  # kept back from the solver for placing, checking and scoring
# Shares of the solver's time: column generation (of which the dive takes DIVE_SHARE: the
# search of the open cells does better from the relaxation than a dive), then that search.
COLGEN_SHARE = 0.5
DIVE_SHARE = 0.05
RINS_SHARE = 0.45


@dataclass(frozen=True)
class Reason:
    """Why a need is short, as a code and numbers the app words in the reader's language.

    ``nobody_available``: nobody (with the skill) is free that day; ``too_few_available``:
    fewer free people (``available``) than places (``needed``) on that shift;
    ``hours_exhausted``: the rules leave ``available`` shifts in the period for ``needed``;
    ``rest_rules``: enough people, but rest, succession and consecutive-day rules stop
    the ones free from working this shift."""

    code: str
    post: str
    day: int
    slot: str
    skill: str
    missing: int
    available: int = 0
    needed: int = 0


@dataclass
class CommunityResult:
    placements: list[Placement]
    shortfalls: list[Shortfall]
    reasons: list[Reason]
    objective: int
    bound: int | None
    status: str
    seconds: float
    terms: dict[str, int] = field(default_factory=dict)
    rounds: int = 1
    violations: list[Violation] = field(default_factory=list)  # empty for a valid roster

    @property
    def gap(self) -> float | None:
        if self.bound is None:
            return None
        return max(0, self.objective - self.bound) / max(1, self.objective)


def solve_community(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
) -> CommunityResult:
    """The best roster found within ``time_limit`` seconds, with every rule held.

    The benchmark model holds all rules but the weekly hours and the fortnight's days
    off; where the solver's roster breaks one of those, the person gets a day off on the
    last day they worked in that week or fortnight and the model is solved again from
    the previous roster (at most ``MAX_ROUNDS`` rounds). The first round's bound is a
    bound of the whole problem (later rounds only add days off), so the gap is honest.
    The objective is re-scored from scratch by the exact evaluator."""
    from .evaluate import evaluate
    from .solve import solve

    started = time.monotonic()
    current = problem
    hint: Roster | None = None
    bound: int | None = None
    rounds = 0
    while True:
        rounds += 1
        instance, mapping = build_instance(current)
        if hint is None:
            hint = greedy_roster(instance)
        remaining = max(0.5, time_limit - FINISH_SECONDS - (time.monotonic() - started))
        if rounds == 1 and _weekly_rules_may_bind(problem):
            remaining *= 0.6  # keep time for repair rounds
        # The first roster is given, so there is no full-model phase. In the first round,
        # column generation proves the bound (a community's relaxation converges in a
        # few seconds at 200 volunteers and is nearly whole) and the search of the cells
        # it leaves open usually reaches it; later rounds only repair, from the hint.
        result = solve(
            instance,
            time_limit=remaining,
            workers=workers,
            hint=hint,
            full_share=0,
            colgen_share=COLGEN_SHARE if rounds == 1 else 0,
            dive_share=DIVE_SHARE,
            rins_share=RINS_SHARE,
        )
        if bound is None:  # round 1 is the whole problem: its bounds hold for the result
            bound = max(result.bound or 0, lower_bound(instance))
        roster = result.roster or Roster.empty(instance)  # all off always holds the rules
        if hint is not None:  # never worse than the roster the search started from
            kept = evaluate(instance, hint)
            if kept.feasible and (result.roster is None or kept.objective < result.objective):
                roster = hint
        placements, shortfalls = place_on_posts(current, mapping, roster)
        broken = weekly_and_fortnight_violations(current, placements)
        if progress:
            progress(f"round {rounds}: objective {result.objective}, {len(broken)} to repair")
        if not broken or rounds >= MAX_ROUNDS:
            break
        current, hint = _rest_where_broken(current, roster, placements, broken)
    instance, mapping = build_instance(problem)
    if broken:
        placements, broken = _drop_until_valid(problem, placements)
        placements, shortfalls = place_on_posts(
            problem, mapping, grid_of(problem, mapping, placements)
        )
    report = evaluate(instance, grid_of(problem, mapping, placements))
    violations = [
        Violation(v.staff, v.rule, v.day if v.day is not None else 0, v.message)
        for v in report.violations
    ] + broken
    return CommunityResult(
        placements=placements,
        shortfalls=shortfalls,
        reasons=explain(problem, shortfalls),
        objective=report.objective,
        bound=bound,
        status=result.status,
        seconds=time.monotonic() - started,
        terms=community_terms(problem, placements, shortfalls),
        rounds=rounds,
        violations=violations,
    )


def _days_to_free(
    problem: Problem, placements: list[Placement], broken: list[Violation]
) -> dict[str, set[int]]:
    """For each broken week or fortnight, one worked day to free: the last in the window
    that ends a run of work, so the day off only lengthens an existing off block (no new
    short break, no new succession) and the rest of the roster stays valid. In a
    re-roster a day the published roster did not have goes first (the published ones are
    what people were told); with single days off allowed, even inside a run."""
    worked: dict[str, set[int]] = defaultdict(set)
    for placed in placements:
        worked[placed.person].add(placed.day)
    published = {(p.person, p.day) for p in problem.published}
    short_breaks = problem.rules.min_consecutive_days_off <= 1
    free: dict[str, set[int]] = defaultdict(set)
    for violation in broken:
        person = violation.person
        span = 7 if violation.rule == "max_hours_week" else 14
        days = worked[person] - free[person]
        window = [d for d in days if violation.day <= d < violation.day + span]
        ends = [d for d in window if d + 1 not in days]
        new_ends = [d for d in ends if (person, d) not in published]
        new = [d for d in window if (person, d) not in published] if short_breaks else []
        choice = new_ends or new or ends or window
        if choice:
            free[person].add(max(choice))
    return free


def _rest_where_broken(
    problem: Problem, roster: Roster, placements: list[Placement], broken: list[Violation]
) -> tuple[Problem, Roster]:
    """The problem with one more day off per broken week or fortnight, and the previous
    roster without those days as the next round's hint."""
    extra = _days_to_free(problem, placements, broken)
    people = tuple(
        replace(p, days_off=p.days_off | frozenset(extra[p.id])) if p.id in extra else p
        for p in problem.people
    )
    rows = [list(row) for row in roster.rows]
    for i, person in enumerate(roster.staff):
        for day in extra.get(person, ()):
            rows[i][day] = None
    return replace(problem, people=people), Roster.from_rows(roster.staff, rows)


def _weekly_rules_may_bind(problem: Problem) -> bool:
    """Whether the weekly hours or fortnight days off can be broken by a roster that holds
    the mapped model (which caps only the period's total)."""
    rules = problem.rules
    longest = max(s.length for s in problem.slots)
    most_days = min(7, rules.max_consecutive_days)
    return rules.max_hours_week * 60 < most_days * longest or (
        len({s.length for s in problem.slots}) > 1 and rules.days_off_per_fortnight > 0
    )


def _drop_until_valid(
    problem: Problem, placements: list[Placement]
) -> tuple[list[Placement], list[Violation]]:
    """Last resort when the rounds ran out: free days until the weekly and fortnight
    rules hold (the freed shifts become uncovered needs, explained like any other)."""
    broken = weekly_and_fortnight_violations(problem, placements)
    while broken:
        free = _days_to_free(problem, placements, broken)
        placements = [p for p in placements if p.day not in free.get(p.person, ())]
        broken = weekly_and_fortnight_violations(problem, placements)
    return placements, broken


def community_terms(
    problem: Problem, placements: list[Placement], shortfalls: list[Shortfall]
) -> dict[str, int]:
    """The objective's parts in community words."""
    placed = {(p.person, p.day, p.slot) for p in placements}
    by_day = {(p.person, p.day) for p in placements}
    wishes_unmet = 0
    for request in problem.requests:
        if request.slot:
            works = (request.person, request.day, request.slot) in placed
        else:
            works = (request.person, request.day) in by_day
        wishes_unmet += 0 if works == request.on else request.weight
    changed = sum(1 for p in problem.published if (p.person, p.day, p.slot) not in placed)
    return {
        "below_minimum": sum(s.below_minimum for s in shortfalls),
        "below_preferred": sum(s.below_preferred - s.below_minimum for s in shortfalls),
        "wishes_unmet": wishes_unmet,
        "published_changed": changed,
        "shifts": len(placements),
    }


def explain(problem: Problem, shortfalls: list[Shortfall]) -> list[Reason]:
    """Why each need left below its minimum could not be covered."""
    demand: dict[tuple[int, str, str], int] = defaultdict(int)
    for need in problem.needs:
        demand[need.day, need.slot, need.skill] += need.minimum
    shifts_possible = sum(_shift_capacity(p, problem) for p in problem.people)
    shifts_needed = sum(n.minimum for n in problem.needs)
    reasons = []
    for short in shortfalls:
        if short.below_minimum <= 0:
            continue
        able = sum(
            1
            for p in problem.people
            if short.day not in p.days_off and (not short.skill or short.skill in p.skills)
        )
        needed = demand[short.day, short.slot, short.skill]
        if able == 0:
            reason = Reason("nobody_available", available=0, needed=needed, **_where(short))
        elif able < needed:
            reason = Reason("too_few_available", available=able, needed=needed, **_where(short))
        elif shifts_possible < shifts_needed:
            reason = Reason(
                "hours_exhausted", available=shifts_possible, needed=shifts_needed, **_where(short)
            )
        else:
            reason = Reason("rest_rules", available=able, needed=needed, **_where(short))
        reasons.append(reason)
    return reasons


def _where(short: Shortfall) -> dict:
    return {
        "post": short.post,
        "day": short.day,
        "slot": short.slot,
        "skill": short.skill,
        "missing": short.below_minimum,
    }


def _shift_capacity(person: Person, problem: Problem) -> int:
    """At most how many shifts the person can work in the period under the rules."""
    rules = problem.rules
    shortest = min(s.length for s in problem.slots)
    free = problem.days - len(person.days_off)
    by_hours = int(rules.max_hours_week * 60 // shortest) * (problem.days // 7)
    by_days_off = problem.days - -(-rules.days_off_per_fortnight * problem.days // 14)
    return max(0, min(free, by_hours, by_days_off))
