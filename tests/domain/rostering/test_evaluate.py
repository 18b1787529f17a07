"""The evaluator: one test per hard rule, the edge conventions and the penalty by term."""

import pytest

from linli.domain.rostering.evaluate import evaluate

from .conftest import A_ROW, B_ROW, grid


def rules(evaluation):
    return {v.rule for v in evaluation.violations}


def changed(row, **cells):
    row = list(row)
    for key, value in cells.items():
        row[int(key[1:])] = value
    return row


def test_valid_roster_has_no_violation_and_its_penalty_by_term(small):
    result = evaluate(small, grid(small))
    assert result.feasible
    # on: A day 4 not D (3); off: A works D on day 2 (1);
    # under: D covered on 6 of 14 days (8 × 100); over: one N on day 8 wanted by nobody (1).
    assert dict(result.terms) == {
        "on_requests": 3,
        "off_requests": 1,
        "under_cover": 800,
        "over_cover": 1,
    }
    assert result.objective == 805


def test_rejects_work_on_a_fixed_day_off(small):
    result = evaluate(small, grid(small, b_row=changed(B_ROW, d3="D", d4="D")))
    assert rules(result) == {"fixed day off"}
    assert [(v.staff, v.day) for v in result.violations] == [("B", 3)]


def test_rejects_a_forbidden_succession(small):
    result = evaluate(small, grid(small, a_row=changed(A_ROW, d7="N", d8="D")))
    assert rules(result) == {"shift rotation"}
    assert result.violations[0].day == 7


def test_rejects_more_shifts_of_a_type_than_allowed(small):
    result = evaluate(small, grid(small, b_row=changed(B_ROW, d1="N", d2="N")))
    assert rules(result) == {"max shifts"}
    assert "2 N shifts, at most 0" in result.violations[0].message


def test_rejects_too_many_minutes(small):
    result = evaluate(small, grid(small, a_row=changed(A_ROW, d13="D")))
    assert rules(result) == {"max total minutes"}


def test_rejects_too_few_minutes(small):
    result = evaluate(small, grid(small, a_row=changed(A_ROW, d3="")))
    assert rules(result) == {"min total minutes"}


def test_rejects_too_long_a_run_of_work(small):
    row = changed(A_ROW, d4="D", d7="", d8="", d13="D")
    result = evaluate(small, grid(small, a_row=row))
    assert rules(result) == {"max consecutive shifts"}
    assert result.violations[0].day == 1


def test_rejects_too_short_a_run_of_work_inside_the_horizon(small):
    result = evaluate(small, grid(small, a_row=changed(A_ROW, d8="", d13="D")))
    assert rules(result) == {"min consecutive shifts"}
    assert result.violations[0].day == 7


def test_rejects_too_short_a_run_of_days_off_inside_the_horizon(small):
    row = changed(A_ROW, d7="", d8="D", d9="N")
    result = evaluate(small, grid(small, a_row=row))
    assert rules(result) == {"min consecutive days off"}
    assert result.violations[0].day == 10


def test_rejects_too_many_weekends(small):
    row = changed(B_ROW, d5="D", d6="D", d12="D", d13="D")
    result = evaluate(small, grid(small, b_row=row))
    assert rules(result) == {"max weekends"}


def test_short_runs_touching_the_horizon_edges_are_exempt(small):
    # B works only day 0 and day 13: both one-day blocks touch an edge, so rule 8 does not apply;
    # the off block between them touches no edge but is 12 days long.
    result = evaluate(small, grid(small, b_row=changed(B_ROW, d0="D", d13="D")))
    assert result.feasible


def test_edge_block_exempt_but_inner_blocks_are_not(small):
    result = evaluate(small, grid(small, b_row=changed(B_ROW, d0="D", d2="D")))
    assert rules(result) == {"min consecutive days off", "min consecutive shifts"}
    assert {(v.rule, v.day) for v in result.violations} == {
        ("min consecutive days off", 1),
        ("min consecutive shifts", 2),
    }


def test_reports_every_violation_not_only_the_first(small):
    row = changed(B_ROW, d1="N", d2="N", d3="D", d4="D")
    result = evaluate(small, grid(small, b_row=row))
    assert rules(result) == {
        "max shifts",
        "fixed day off",
        "max consecutive shifts",
        "shift rotation",
    }


@pytest.mark.parametrize("day", [0, 13])
def test_a_single_day_off_at_an_edge_is_exempt(small, day):
    row = ["D", "D", "D", "", "", "D", "D", "", "", "D", "D", "D", "", ""]
    row = changed(row, **{f"d{day}": ""})
    result = evaluate(small, grid(small, b_row=row))
    assert "min consecutive days off" not in rules(result)
