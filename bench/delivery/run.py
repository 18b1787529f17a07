"""Deliveries behind sealed gates: a sealed street's day of orders, routed in ≤ 10 s.

    .venv/bin/python -m bench.delivery [--time-limit 8] [--reference 10] [--seed 1]

The synthetic street (玉林街道, linli.domain.synth at full population) with every compound
sealed: one order from every ward (medicine by 12:00 for those who need medicine) and from
10% of households; a third of the active volunteers carry, each for four hours (morning or
afternoon) in 30-minute runs of 20 kg / 8 bags (a trolley) from their compound's gate. Printed: Linli's
routes (OR-Tools within ``--time-limit`` s for the whole street), OR-Tools again with
``--reference`` × the time (its own best), and the nearest-neighbour rule; every route
checked by the independent checker (windows, capacity, reach, each order once).
"""

from __future__ import annotations

import argparse
import random
import time

from linli.domain.delivery import (
    Carrier,
    Params,
    Problem,
    Stop,
    nearest_neighbour,
    solve,
    violations,
)
from linli.domain.synth import communities_for_scale, generate_community

NOON = 12 * 60
GATE_OFFSET = 40.0  # metres east of a compound's centre, as the synthetic checkpoints


def street_problem(seed: int, params: Params) -> tuple[Problem, dict[str, int]]:
    rng = random.Random(seed)
    stops: list[Stop] = []
    carriers: list[Carrier] = []
    compounds: set[str] = set()
    counts = {"wards": 0, "households": 0, "volunteers": 0}
    for plan in communities_for_scale("street", seed):
        pop = generate_community(plan.code, population=plan.population, seed=seed)
        xy = {p[0]: (p[4], p[5]) for p in pop.places if p[4] is not None}
        compounds |= {p[0] for p in pop.places if p[2] == "compound"}
        building_of = {h[0]: h[1] for h in pop.households}
        resident_household = {r[0]: r[1] for r in pop.residents}
        for resident, _risk, needs in pop.wards:
            building = building_of[resident_household[resident]]
            medicine = "medicine" in needs.split("|")
            stops.append(
                Stop(
                    f"w{resident}",
                    building[:16],
                    *xy[building],
                    kg=0.5 if medicine else rng.choice([3.0, 4.0, 5.0]),
                    bags=1 if medicine else rng.choice([1, 2]),
                    latest=NOON if medicine else 24 * 60,
                    kind="medicine" if medicine else "meals",
                )
            )
            counts["wards"] += 1
        for code, building, *_rest in pop.households:
            if rng.random() >= 0.10:
                continue
            afternoon = rng.random() < 0.1  # "after work": 14:00 onwards
            stops.append(
                Stop(
                    f"h{code}",
                    building[:16],
                    *xy[building],
                    kg=rng.choice([4.0, 6.0, 8.0, 10.0]),
                    bags=rng.choice([1, 2, 3]),
                    earliest=14 * 60 if afternoon else 0,
                    kind="groceries",
                )
            )
            counts["households"] += 1
        for k, v in enumerate(pop.volunteers):
            vid, compound, passes, status = v[0], v[5], v[6], v[12]
            if status != "active" or k % 3:  # a third carry; the others keep the gates
                continue
            cx, cy = xy[compound]
            start = 8 * 60 if (k // 3) % 2 == 0 else 13 * 60
            carriers.append(
                Carrier(
                    vid,
                    compound,
                    cx + GATE_OFFSET,
                    cy,
                    passes=frozenset(p for p in passes.split("|") if p),
                    kg=20.0,  # a shopping trolley
                    bags=8,
                    start=start,
                    end=start + 4 * 60,
                )
            )
            counts["volunteers"] += 1
    problem = Problem(tuple(stops), tuple(carriers), frozenset(compounds), params)
    counts["compounds"] = len(compounds)
    return problem, counts


def line(name: str, problem: Problem, solution, seconds: float) -> str:
    broken = violations(problem, solution)
    return (
        f"{name:<28} {seconds:>7.2f} s {solution.served:>6} carried {len(solution.unmet):>4} not "
        f"{solution.metres / 1000:>9.2f} km  rules {'held' if not broken else broken[:3]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=8.0)
    parser.add_argument("--reference", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    problem, counts = street_problem(args.seed, Params(time_limit=args.time_limit, trip_minutes=30))
    print(
        f"sealed street 玉林街道: {counts['compounds']} compounds, {len(problem.stops)} orders "
        f"({counts['wards']} wards, {counts['households']} households), "
        f"{counts['volunteers']} carriers; built in {time.perf_counter() - t0:.1f} s"
    )
    t = time.perf_counter()
    ours = solve(problem)
    ours_s = time.perf_counter() - t
    print(line(f"Linli (OR-Tools {args.time_limit:g} s)", problem, ours, ours_s))
    t = time.perf_counter()
    peer = nearest_neighbour(problem)
    print(line("nearest neighbour", problem, peer, time.perf_counter() - t))
    longer = Problem(
        problem.stops,
        problem.carriers,
        problem.sealed,
        Params(time_limit=args.time_limit * args.reference, trip_minutes=30),
    )
    t = time.perf_counter()
    best = solve(longer)
    print(
        line(
            f"OR-Tools {args.time_limit * args.reference:g} s (reference)",
            problem,
            best,
            time.perf_counter() - t,
        )
    )
    reasons: dict[str, int] = {}
    for u in ours.unmet:
        reasons[u.code] = reasons.get(u.code, 0) + 1
    print(f"not carried, by reason: {reasons or 'none'}")
    if ours.unmet:
        print(f"  e.g. {ours.unmet[0].stop}: {ours.unmet[0].message}")
    same = ours.served == best.served
    gap = (ours.metres / best.metres - 1) * 100 if best.metres else 0.0
    carried = "same orders carried" if same else f"carried {ours.served} vs {best.served}"
    print(
        f"distance vs reference: {gap:+.2f}% ({carried}); vs nearest neighbour "
        f"{(ours.metres / peer.metres - 1) * 100:+.2f}% (carried {ours.served} vs {peer.served}); "
        f"wall {ours_s:.2f} s (goal ≤ 10 s)"
    )
    return 0
