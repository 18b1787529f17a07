"""The solver: optimal on small cases, checked by the evaluator, warm starts, infeasibility."""

from dataclasses import replace

from linli.domain.rostering.evaluate import evaluate
from linli.domain.rostering.io import read_instance
from linli.domain.rostering.solve import solve

from .conftest import DATA, grid


def test_instance1_reaches_the_optimum_607_and_the_evaluator_agrees():
    instance = read_instance(DATA / "Instance1.txt")
    result = solve(instance, time_limit=20)
    assert result.status == "optimal"
    assert result.objective == result.bound == 607
    checked = evaluate(instance, result.roster)
    assert checked.feasible
    assert checked.objective == 607
    assert dict(checked.terms) == result.terms
    assert checked.terms["under_cover"] == 600


def test_small_instance_solved_to_optimality(small):
    result = solve(small, time_limit=10)
    assert result.status == "optimal"
    checked = evaluate(small, result.roster)
    assert checked.feasible and checked.objective == result.objective
    # The hand-made valid roster costs 805; the optimum can only be lower or equal.
    assert result.objective <= evaluate(small, grid(small)).objective


def test_progress_is_reported_and_can_stop_the_search():
    instance = read_instance(DATA / "Instance5.txt")
    seen = []

    def progress(report):
        seen.append(report)
        return True  # stop at the first roster

    result = solve(instance, time_limit=30, progress=progress)
    assert seen and seen[0].objective is not None
    assert result.roster is not None
    assert result.seconds < 25
    assert evaluate(instance, result.roster).feasible


def test_hint_starts_from_the_given_roster(small):
    start = grid(small)
    result = solve(small, time_limit=10, hint=start)
    assert result.objective <= evaluate(small, start).objective


def test_infeasible_rules_are_explained_by_employee_and_rule(small):
    # A can work at most 3 days in a row and 3 weekends... but must work 14 × 480 minutes.
    a = replace(small.staff[0], min_minutes=14 * 480, max_minutes=14 * 480)
    impossible = replace(small, staff=(a, small.staff[1]))
    result = solve(impossible, time_limit=10)
    assert result.status == "infeasible"
    assert result.roster is None
    assert len(result.explanation) == 1
    assert result.explanation[0].startswith("employee A:")
    assert "minimum total minutes" in result.explanation[0]


def test_never_returns_worse_than_a_valid_hint():
    instance = read_instance(DATA / "Instance1.txt")
    optimal = solve(instance, time_limit=20).roster
    result = solve(instance, time_limit=0.5, hint=optimal)
    assert result.objective == 607
    assert evaluate(instance, result.roster).objective == 607
