"""Column generation: the row programme against CP-SAT, and the bound against known optima."""

import random
from dataclasses import replace

import numpy as np
import pytest

from linli.domain.rostering import pricing
from linli.domain.rostering.colgen import ColumnGeneration, column_generation
from linli.domain.rostering.evaluate import check_staff, evaluate
from linli.domain.rostering.io import read_instance
from linli.domain.rostering.model import Cover, Instance, Shift, Staff
from linli.domain.rostering.pricing import RowProgramme, price_many
from linli.domain.rostering.solve import solve

from .conftest import DATA

# CP-SAT's pricing objective is rounded to 1/1000; its optimum may be off by this much.
ROUNDING = 28 * 0.5 / 1000 + 1e-6


def _row_cost(cost, instance, row):
    index = {s.id: i for i, s in enumerate(instance.shifts)}
    return sum(cost[d, index[s]] for d, s in enumerate(row) if s is not None)


@pytest.mark.parametrize("name", ["Instance1", "Instance4", "Instance8", "Instance12"])
def test_row_programme_finds_the_cheapest_row_cp_sat_finds(name):
    """At random prices, the programme's row holds every rule, costs what CP-SAT's optimum
    costs, and its lower bound is never above that optimum."""
    instance = read_instance(DATA / f"{name}.txt")
    generation = ColumnGeneration(instance)
    rng = np.random.default_rng(7)
    exact = tried = 0
    for e in range(0, len(instance.staff), max(1, len(instance.staff) // 6)):
        programme = RowProgramme(instance, e)
        for _ in range(3):
            prices = rng.uniform(-1, 100, generation.requirement.shape)
            prices *= rng.uniform(size=prices.shape) < 0.5
            cost = generation.cell_cost[e] - prices
            priced = programme.price(cost)
            row, proven = generation.pricer(e).best_row(cost, 20)
            assert proven
            optimum = _row_cost(cost, instance, row)
            assert priced.lower <= optimum + ROUNDING
            assert priced.row is not None
            assert check_staff(instance, instance.staff[e], priced.row) == []
            assert priced.cost == pytest.approx(_row_cost(cost, instance, priced.row))
            assert priced.cost >= optimum - ROUNDING
            exact += priced.cost <= optimum + ROUNDING
            tried += 1
    # Rule 4 is priced by multipliers, which can leave a gap; it is rare.
    assert exact >= 0.8 * tried


def _random_instance(rng: random.Random) -> Instance:
    """A small instance with every rule in play: edge blocks, weekends, per-type limits."""
    horizon = 14
    shifts = (
        Shift("E", 480),
        Shift("L", 600, frozenset({"E"})),
        Shift("N", 480, frozenset({"E", "L"})),
    )
    staff = []
    for k in range(rng.randint(2, 4)):
        days_off = frozenset(rng.sample(range(horizon), rng.randint(0, 3)))
        staff.append(
            Staff(
                id=chr(65 + k),
                max_shifts={"E": 14, "L": rng.randint(0, 6), "N": rng.randint(0, 3)},
                max_minutes=rng.choice([4800, 5400, 6000]),
                min_minutes=rng.choice([0, 2400, 3360]),
                max_consecutive=rng.randint(3, 5),
                min_consecutive=rng.randint(1, 3),
                min_days_off=rng.randint(1, 3),
                max_weekends=rng.randint(0, 2),
                days_off=days_off,
            )
        )
    cover = tuple(Cover(d, s.id, rng.randint(0, 2), 100, 1) for d in range(horizon) for s in shifts)
    return Instance(horizon, shifts, tuple(staff), cover=cover, name="random")


def test_row_programme_matches_cp_sat_on_random_contracts():
    rng = random.Random(11)
    nprng = np.random.default_rng(11)
    for _ in range(25):
        instance = _random_instance(rng)
        generation = ColumnGeneration(instance)
        for e in range(len(instance.staff)):
            cost = nprng.uniform(-60, 40, generation.requirement.shape)
            priced = RowProgramme(instance, e).price(cost)
            row, _ = generation.pricer(e).best_row(cost, 20)
            if row is None:  # no row holds this contract's rules
                assert priced.row is None
                continue
            optimum = _row_cost(cost, instance, row)
            assert priced.lower <= optimum + ROUNDING
            if priced.row is not None:
                assert check_staff(instance, instance.staff[e], priced.row) == []
                assert priced.cost >= optimum - ROUNDING


@pytest.mark.parametrize("batch", [None, 2])
def test_employees_alike_but_for_days_off_are_priced_together_exactly(batch, monkeypatch):
    """Programmes that differ only in days off run as one (or in batches of ``batch``
    employees); each employee still gets the cheapest row of their own rules (CP-SAT's
    optimum), never one working a day off."""
    rng = random.Random(5)
    nprng = np.random.default_rng(5)
    for _ in range(10):
        contract = _random_instance(rng).staff[0]
        contract = replace(contract, max_shifts={"E": 14, "L": 14, "N": 14})
        staff = tuple(
            replace(contract, id=f"S{k}", days_off=frozenset(rng.sample(range(14), k % 4)))
            for k in range(6)
        )
        instance = replace(_random_instance(rng), staff=staff)
        generation = ColumnGeneration(instance)
        programmes = [RowProgramme(instance, e) for e in range(len(staff))]
        assert len({p.alike for p in programmes}) == 1
        if batch:
            monkeypatch.setattr(pricing, "BATCH_CELLS", batch * programmes[0].table_size)
        costs = [nprng.uniform(-60, 40, generation.requirement.shape) for _ in staff]
        for e, priced in enumerate(price_many(programmes, costs)):
            row, proven = generation.pricer(e).best_row(costs[e], 20)
            if row is None:
                assert priced.row is None
                continue
            assert proven and priced.row is not None
            assert check_staff(instance, staff[e], priced.row) == []
            assert priced.cost == pytest.approx(_row_cost(costs[e], instance, row), abs=ROUNDING)
            assert priced.lower == pytest.approx(priced.cost)


def test_bound_never_exceeds_the_proven_optimum_of_random_instances():
    rng = random.Random(5)
    checked = 0
    for _ in range(12):
        instance = _random_instance(rng)
        optimum = solve(instance, time_limit=10, colgen_share=0)
        if optimum.status != "optimal":
            continue
        generated = column_generation(instance, 10)
        assert generated.lower is not None and generated.lower <= optimum.objective
        if generated.roster is not None:
            assert evaluate(instance, generated.roster).objective >= optimum.objective
        checked += 1
    assert checked >= 6


def test_instance4_bound_is_the_optimum_1716():
    instance = read_instance(DATA / "Instance4.txt")
    generated = column_generation(instance, 20)
    assert generated.converged
    assert generated.lower == 1716
    checked = evaluate(instance, generated.roster)
    assert checked.feasible and checked.objective >= 1716


def test_instance4_is_proven_optimal_within_a_minute():
    """The bound of column generation closes the gap the compact model leaves."""
    instance = read_instance(DATA / "Instance4.txt")
    result = solve(instance, time_limit=60)
    assert result.status == "optimal"
    assert result.objective == result.bound == 1716
    assert evaluate(instance, result.roster).objective == 1716


def test_employee_without_a_valid_row_leaves_the_bound_to_cp_sat(small):
    a = replace(small.staff[0], min_minutes=14 * 480, max_minutes=14 * 480)
    generated = column_generation(replace(small, staff=(a, small.staff[1])), 5)
    assert generated.lower is None and generated.roster is None
