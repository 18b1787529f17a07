"""The delivery router: capacity, windows, reach behind sealed gates, and the reasons it
gives for what it cannot carry. No database."""

from __future__ import annotations

import random

import pytest

from linli.domain.delivery import (
    Carrier,
    DeliveryError,
    Params,
    Problem,
    Stop,
    nearest_neighbour,
    solve,
    violations,
)
from linli.domain.delivery.layout import synthetic_xy, walking_metres

FAST = Params(time_limit=0.5, detour=1.0)
NOON = 12 * 60


def problem(stops, carriers, sealed=("C1",), params=FAST) -> Problem:
    return Problem(tuple(stops), tuple(carriers), frozenset(sealed), params)


def test_one_carrier_walks_a_line_out_and_back():
    stops = [Stop("a", "C1", 10, 0), Stop("b", "C1", 20, 0)]
    p = problem(stops, [Carrier("v", "C1", 0, 0)])
    s = solve(p)
    assert violations(p, s) == []
    assert s.metres == 40  # gate → 10 → 20 → gate
    assert {v.stop for v in s.routes[0].visits} == {"a", "b"}  # one run, either way round
    assert s.unmet == ()


def test_capacity_in_kg_splits_the_load_into_runs():
    stops = [Stop(i, "C1", 30, 0, kg=6) for i in range(3)]  # 18 kg, a run carries 15
    p = problem(stops, [Carrier("v", "C1", 0, 0, kg=15)])
    s = solve(p)
    assert violations(p, s) == []
    assert s.served == 3 and len(s.routes) == 2
    assert all(r.kg <= 15 for r in s.routes)


def test_capacity_in_bags_is_held_too():
    stops = [Stop(i, "C1", 30, 0, kg=0.5, bags=2) for i in range(4)]
    p = problem(stops, [Carrier("v", "C1", 0, 0, bags=4)])
    s = solve(p)
    assert violations(p, s) == [] and s.served == 4
    assert max(r.bags for r in s.routes) == 4 and len(s.routes) == 2


def test_medicine_arrives_before_noon():
    stops = [Stop("m", "C1", 50, 0, latest=NOON, kind="medicine")] + [
        Stop(i, "C1", -50, 0, kg=5) for i in range(6)
    ]
    p = problem(stops, [Carrier("v", "C1", 0, 0, start=11 * 60)])
    s = solve(p)
    assert violations(p, s) == []
    arrival = next(v.arrival for r in s.routes for v in r.visits if v.stop == "m")
    assert arrival <= NOON


def test_a_window_nobody_can_reach_says_which_and_why():
    far = Stop("m", "C1", 600, 0, latest=NOON, kind="medicine")  # 10 min away at 60 m/min
    p = problem([far], [Carrier("v", "C1", 0, 0, start=11 * 60 + 55)])
    s = solve(p)
    assert s.served == 0
    (unmet,) = s.unmet
    assert unmet.stop == "m" and unmet.code == "window"
    assert "12:00" in unmet.message and "12:05" in unmet.message


def test_a_sealed_compound_without_insiders_or_passes_is_explained():
    stops = [Stop("x", "C2", 0, 0)]
    outsider = Carrier("v", "C1", 0, 0)
    s = solve(problem(stops, [outsider], sealed=("C1", "C2")))
    assert s.served == 0 and s.unmet[0].code == "no_carrier"
    assert "C2" in s.unmet[0].message and "pass" in s.unmet[0].message


def test_a_pass_lets_an_outsider_carry_into_a_sealed_compound():
    stops = [Stop("x", "C2", 30, 0)]
    holder = Carrier("v", "C1", 0, 0, passes=frozenset({"C2"}))
    p = problem(stops, [holder], sealed=("C1", "C2"))
    s = solve(p)
    assert violations(p, s) == [] and s.served == 1


def test_an_insider_of_another_sealed_compound_is_never_sent():
    stops = [Stop("x", "C2", 30, 0), Stop("y", "C1", 30, 0)]
    carriers = [Carrier("in1", "C1", 0, 0), Carrier("in2", "C2", 0, 0)]
    p = problem(stops, carriers, sealed=("C1", "C2"))
    s = solve(p)
    assert violations(p, s) == []
    by_stop = {v.stop: r.carrier for r in s.routes for v in r.visits}
    assert by_stop == {"x": "in2", "y": "in1"}


def test_an_inactive_volunteer_carries_nothing():
    p = problem([Stop("x", "C1", 10, 0)], [Carrier("v", "C1", 0, 0, status="quarantined")])
    assert solve(p).unmet[0].code == "no_carrier"


def test_an_order_heavier_than_any_run_asks_to_be_split():
    p = problem([Stop("x", "C1", 10, 0, kg=25)], [Carrier("v", "C1", 0, 0, kg=15)])
    (unmet,) = solve(p).unmet
    assert unmet.code == "too_heavy" and "25" in unmet.message and "split" in unmet.message


def test_runs_full_before_the_deadline_are_explained_with_figures():
    # one run before noon carries 15 kg; four medicine orders of 5 kg are due by noon
    stops = [Stop(i, "C1", 20, 0, kg=5, latest=NOON, kind="medicine") for i in range(4)]
    p = problem(stops, [Carrier("v", "C1", 0, 0, start=11 * 60, end=13 * 60)])
    s = solve(p)
    assert violations(p, s) == []
    assert s.served == 3
    (unmet,) = s.unmet
    assert unmet.code == "full" and "20.0 kg" in unmet.message and "15.0 kg" in unmet.message


def test_medicine_is_kept_before_other_orders_when_runs_are_short():
    stops = [
        Stop("m", "C1", 20, 0, kg=10, latest=NOON, kind="medicine"),
        Stop("r", "C1", 20, 0, kg=10),
    ]
    p = problem(stops, [Carrier("v", "C1", 0, 0, start=11 * 60, end=12 * 60)])
    s = solve(p)
    assert [u.stop for u in s.unmet] == ["r"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ortools_holds_every_rule_and_walks_no_more_than_nearest_neighbour(seed):
    rng = random.Random(seed)
    stops = [
        Stop(
            i,
            rng.choice(["C1", "C2"]),
            rng.uniform(-80, 80),
            rng.uniform(-80, 80),
            kg=rng.choice([1, 2, 3, 5]),
            latest=NOON if i % 4 == 0 else 24 * 60,
            kind="medicine" if i % 4 == 0 else "",
        )
        for i in range(40)
    ]
    carriers = [Carrier(f"v{j}", "C1" if j < 2 else "C2", 0, 0) for j in range(4)]
    p = problem(stops, carriers, sealed=("C1", "C2"), params=Params(time_limit=1.0))
    ours, peer = solve(p), nearest_neighbour(p)
    assert violations(p, ours) == [] and violations(p, peer) == []
    assert ours.served == 40 and peer.served == 40
    assert ours.metres <= peer.metres


def test_the_checker_catches_an_overloaded_run():
    p = problem([Stop(i, "C1", 10, 0, kg=10) for i in range(2)], [Carrier("v", "C1", 0, 0)])
    s = solve(p)
    from dataclasses import replace

    merged = replace(s.routes[0], visits=tuple(v for r in s.routes for v in r.visits))
    broken = replace(s, routes=(merged,))
    assert any("carries" in v for v in violations(p, broken))


@pytest.mark.parametrize(
    ("stop", "path"),
    [
        (Stop("a", "C1", 0, 0, kg=-1), "stops[0].kg"),
        (Stop("a", "C1", float("nan"), 0), "stops[0].x"),
        (Stop("a", "C1", 0, 0, earliest=700, latest=600), "stops[0].latest"),
    ],
)
def test_bad_input_names_the_field(stop, path):
    with pytest.raises(DeliveryError) as error:
        problem([stop], [Carrier("v", "C1", 0, 0)])
    assert error.value.path == path


def test_the_same_order_twice_is_refused():
    with pytest.raises(DeliveryError, match="twice"):
        problem([Stop("a", "C1", 0, 0), Stop("a", "C1", 1, 0)], [Carrier("v", "C1", 0, 0)])


def test_synthetic_layout_is_stable_and_near_its_compound():
    a = synthetic_xy("510107005002010101001", (100.0, 200.0))
    assert a == synthetic_xy("510107005002010101001", (100.0, 200.0))
    assert a != synthetic_xy("510107005002010101002", (100.0, 200.0))
    assert walking_metres(*a, 100.0, 200.0, detour=1.0) <= 80
