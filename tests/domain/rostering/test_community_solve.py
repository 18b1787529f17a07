"""Rostering a small community end to end: every rule held, uncovered needs explained."""

from dataclasses import replace

from linli.domain.rostering.community import Need, Person, Problem, Rules, Slot, build_instance
from linli.domain.rostering.community_hint import greedy_roster
from linli.domain.rostering.community_rules import violations
from linli.domain.rostering.community_solve import solve_community
from linli.domain.rostering.evaluate import evaluate

SLOTS = (Slot("M", 8 * 60, 16 * 60), Slot("E", 16 * 60, 0), Slot("N", 0, 8 * 60))


def community(people: int = 12, **rules) -> Problem:
    needs = tuple(
        Need(post, day, slot, 1, 1)
        for post in ("a", "b")
        for day in range(14)
        for slot in ("M", "E")
    ) + tuple(Need("a", day, "M", 1, 1, "temp") for day in range(14))
    staff = tuple(
        Person(f"v{i}", frozenset({"temp"}) if i < 4 else frozenset()) for i in range(people)
    )
    return Problem(14, SLOTS, needs, staff, Rules(**rules))


def test_a_loose_community_is_fully_covered_with_every_rule_held():
    problem = community()
    result = solve_community(problem, time_limit=5)
    assert result.terms["below_minimum"] == 0 and result.reasons == []
    assert violations(problem, result.placements) == [] and result.violations == []
    assert len(result.placements) == 14 * 5
    assert result.bound is not None and result.bound <= result.objective


def test_weekly_hours_the_model_cannot_hold_are_repaired():
    problem = community(max_hours_week=32)  # four 8-hour shifts a week
    result = solve_community(problem, time_limit=5)
    assert violations(problem, result.placements) == []
    per_week: dict[tuple[str, int], int] = {}
    for placed in result.placements:
        key = (placed.person, placed.day // 7)
        per_week[key] = per_week.get(key, 0) + 8
    assert max(per_week.values()) <= 32


def test_needs_nobody_can_cover_are_explained_not_crashed():
    problem = community()
    untrained = tuple(replace(p, skills=frozenset()) for p in problem.people)
    result = solve_community(replace(problem, people=untrained), time_limit=3)
    assert {r.code for r in result.reasons} == {"nobody_available"}
    assert len(result.reasons) == 14 and all(r.skill == "temp" for r in result.reasons)
    assert result.terms["below_minimum"] == 14
    too_few = solve_community(community(people=3), time_limit=3)
    assert too_few.reasons and {r.code for r in too_few.reasons} <= {
        "hours_exhausted",
        "too_few_available",
        "rest_rules",
    }


def test_the_greedy_first_roster_holds_every_rule():
    instance, _mapping = build_instance(community())
    roster = greedy_roster(instance)
    assert roster is not None and evaluate(instance, roster).feasible


def test_the_lower_bound_counts_wishes_no_roster_can_grant():
    from linli.domain.rostering.community import Request
    from linli.domain.rostering.community_bound import lower_bound

    problem = community()
    wishes = (
        Request("v5", 3, on=True, weight=2, slot="E"),  # evening, then a morning: 8 h rest
        Request("v5", 4, on=True, weight=3, slot="M"),
        Request("v6", 2, on=False, weight=1),  # a day off: grantable
    )
    instance, _mapping = build_instance(replace(problem, requests=wishes))
    assert lower_bound(instance) == 2
    result = solve_community(replace(problem, requests=wishes), time_limit=5)
    assert result.bound == 2 <= result.objective
