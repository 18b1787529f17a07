"""Guardian planning at city scale, with the peers most tools use, measured in the same run.

    python -m bench.matching.run                  # all 3,047 communities of Chengdu
    python -m bench.matching.run --communities 300 --repairs 200

Every community of the synthetic city (``linli synth --scale city``) becomes one planner
scenario (5% of compounds sealed). Worker processes generate their share first, untimed,
then start together; a phase's wall time runs from the first worker's start to the last
one's end. Phases:

1. Linli's planner, full plan from scratch (optimal, both roles, every hard rule);
2. peer: scipy ``linear_sum_assignment`` on primary roles alone (capacity expanded);
3. peer: the greedy nearest-volunteer rule (primary, then backup, ward by ward);
4. repair: the plan in force, then one assigned volunteer falls sick — re-plan;
5. repair: the plan in force, then one more compound holding wards is sealed — re-plan.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import os
import random
import resource
import statistics
import time
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from linli.domain.matching import parse_scenario
from linli.domain.matching.model import Scenario
from linli.domain.matching.solve import build_problem, solve
from linli.domain.synth import communities_for_scale

from .scenarios import scenario_for

_barrier: Any = None


def _init(barrier: Any) -> None:
    global _barrier
    _barrier = barrier


def _phase(fn, scenarios: list[Scenario]) -> tuple[float, float, list[Any], float]:
    """(wall start, wall end, results, CPU seconds of this worker)."""
    _barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    results = [fn(s) for s in scenarios]
    return start, time.perf_counter(), results, time.process_time() - cpu


def _ours(scenario: Scenario) -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    plan = solve(scenario)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "primary": plan.primary_filled,
        "backup": plan.backup_filled,
        "cost": plan.cost,
        "primary_metres": _metres(scenario, plan.assignments, "primary"),
        "metres": _metres(scenario, plan.assignments, "primary")
        + _metres(scenario, plan.assignments, "backup"),
        "method": plan.method,
        "plan": plan,
    }


def _metres(scenario: Scenario, assignments, role: str) -> float:
    wards = {w.id: w for w in scenario.wards}
    vols = {v.id: v for v in scenario.volunteers}
    total = 0.0
    for row in assignments:
        if row.guardian(role) is not None:
            w, v = wards[row.ward], vols[row.guardian(role)]
            total += float(np.hypot(w.x - v.x, w.y - v.y))
    return total


def _assignment_peer(scenario: Scenario) -> dict[str, Any]:
    """scipy's Hungarian-type solver on primary roles alone, each volunteer once per capacity."""
    started = time.perf_counter()
    problem = build_problem(scenario)
    cost = problem.cost[0]
    slots = np.repeat(np.arange(cost.shape[1]), problem.capacity[0].clip(min=0))
    matrix = cost[:, slots]
    big = 1e9
    matrix = np.where(np.isfinite(matrix), matrix, big)
    filled, metres = 0, 0.0
    if matrix.size:
        rows, cols = linear_sum_assignment(matrix)
        chosen = matrix[rows, cols] < big
        filled, metres = int(chosen.sum()), float(matrix[rows, cols][chosen].sum())
    return {"seconds": time.perf_counter() - started, "primary": filled, "primary_metres": metres}


def _greedy_peer(scenario: Scenario) -> dict[str, Any]:
    """Ward by ward, the nearest volunteer with room as primary, then the next as backup."""
    started = time.perf_counter()
    problem = build_problem(scenario)
    left = problem.capacity.astype(float).copy()
    primary = backup = 0
    metres = 0.0
    for wi in range(problem.cost.shape[1]):
        taken = -1
        for role in (0, 1):
            cost = np.where(left[role] > 0, problem.cost[role, wi], np.inf)
            if taken >= 0:
                cost[taken] = np.inf
            vi = int(np.argmin(cost)) if cost.size else -1
            if vi < 0 or not np.isfinite(cost[vi]):
                continue
            left[role, vi] -= 1
            taken = vi
            w, v = scenario.wards[wi], scenario.volunteers[vi]
            metres += float(np.hypot(w.x - v.x, w.y - v.y))
            primary += role == 0
            backup += role == 1
    return {
        "seconds": time.perf_counter() - started,
        "primary": primary,
        "backup": backup,
        "metres": metres,
    }


def _current(plan) -> dict[tuple[Any, str], Any]:
    return {
        (row.ward, role): row.guardian(role)
        for row in plan.assignments
        for role in ("primary", "backup")
        if row.guardian(role) is not None
    }


def _changed(before: dict, after) -> int:
    now = _current(after)
    return sum(1 for key, vid in before.items() if now.get(key) != vid)


def _repair(case: tuple[Scenario, str]) -> dict[str, Any]:
    scenario, _ = case
    started, cpu = time.perf_counter(), time.process_time()
    plan = solve(scenario)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "changed": _changed(scenario.current, plan),
    }


def _repair_cases(scenario: Scenario, plan, rng: random.Random) -> list[tuple[Scenario, str]]:
    current = _current(plan)
    cases = []
    guardians = sorted({vid for vid in current.values()}, key=str)
    if guardians:
        sick = rng.choice(guardians)
        volunteers = tuple(
            dataclasses.replace(v, status="sick") if v.id == sick else v
            for v in scenario.volunteers
        )
        cases.append(
            (dataclasses.replace(scenario, volunteers=volunteers, current=current), "drop-out")
        )
    open_compounds = sorted({w.compound for w in scenario.wards} - scenario.sealed)
    if open_compounds:
        seal = rng.choice(open_compounds)
        cases.append(
            (
                dataclasses.replace(scenario, sealed=scenario.sealed | {seal}, current=current),
                "seal",
            )
        )
    return cases


def _work(task: tuple[list[Any], int, int]) -> dict[str, Any]:
    plans, repairs, seed = task
    rng = random.Random(seed)
    scenarios = [parse_scenario(scenario_for(p, sealed_share=0.05)) for p in plans]
    out: dict[str, Any] = {}
    out["ours"] = _phase(_ours, scenarios)
    out["assignment"] = _phase(_assignment_peer, scenarios)
    out["greedy"] = _phase(_greedy_peer, scenarios)
    picks = rng.sample(range(len(scenarios)), min(repairs, len(scenarios)))
    cases = [c for i in picks for c in _repair_cases(scenarios[i], out["ours"][2][i]["plan"], rng)]
    for kind in ("drop-out", "seal"):
        chosen = [c for c in cases if c[1] == kind]
        out[kind] = _phase(_repair, chosen)
    for row in out["ours"][2]:
        del row["plan"]
    out["wards"] = sum(len(s.wards) for s in scenarios)
    out["volunteers"] = sum(len(s.volunteers) for s in scenarios)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _wall(parts: list[dict[str, Any]], phase: str) -> float:
    return max(p[phase][1] for p in parts) - min(p[phase][0] for p in parts)


def _cpu(parts: list[dict[str, Any]], phase: str) -> float:
    """CPU seconds of the phase, all workers together: what a busy machine inflates least."""
    return sum(p[phase][3] for p in parts)


def _rows(parts: list[dict[str, Any]], phase: str) -> list[dict[str, Any]]:
    return [row for p in parts for row in p[phase][2]]


def _ms(values: list[float], q: float) -> float:
    return float(np.quantile(np.array(values) * 1000, q)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=0, help="a sample (0: the whole city)")
    parser.add_argument("--repairs", type=int, default=500, help="communities to repair, per kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    plans = communities_for_scale("city", seed=args.seed)
    if args.communities:
        plans = random.Random(args.seed).sample(plans, args.communities)
    plans.sort(key=lambda p: -p.population)
    chunks = [plans[i :: args.workers] for i in range(args.workers)]
    tasks = [(chunk, args.repairs // args.workers, args.seed + i) for i, chunk in enumerate(chunks)]
    started = time.perf_counter()
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(args.workers)
    with ctx.Pool(args.workers, initializer=_init, initargs=(barrier,)) as pool:
        parts = pool.map(_work, tasks)
    total = time.perf_counter() - started

    ours, lsa, greedy = (_rows(parts, k) for k in ("ours", "assignment", "greedy"))
    t_ours, t_lsa, t_greedy = (_wall(parts, k) for k in ("ours", "assignment", "greedy"))
    wards = sum(p["wards"] for p in parts)
    roles = 2 * wards
    ours_filled = sum(r["primary"] + r["backup"] for r in ours)
    greedy_filled = sum(r["primary"] + r["backup"] for r in greedy)
    ours_primary = sum(r["primary"] for r in ours)
    lsa_primary = sum(r["primary"] for r in lsa)
    by_method: dict[str, int] = {}
    for r in ours:
        by_method[r["method"]] = by_method.get(r["method"], 0) + 1

    print(
        f"communities {len(plans):,}  wards {wards:,}  volunteers {sum(p['volunteers'] for p in parts):,}"
        f"  workers {args.workers}"
    )
    print()
    c_ours, c_lsa, c_greedy = (_cpu(parts, k) for k in ("ours", "assignment", "greedy"))
    print(
        "full plan from scratch                 wall s    CPU s   roles filled        gaps    metres"
    )
    print(
        f"  Linli (optimal, both roles)        {t_ours:8.2f} {c_ours:8.2f}   {ours_filled:>12,}"
        f"  {roles - ours_filled:>10,}  {sum(r['metres'] for r in ours):>12,.0f}"
    )
    print(
        f"  greedy nearest volunteer           {t_greedy:8.2f} {c_greedy:8.2f}   {greedy_filled:>12,}"
        f"  {roles - greedy_filled:>10,}  {sum(r['metres'] for r in greedy):>12,.0f}"
    )
    print(
        f"  scipy linear_sum_assignment        {t_lsa:8.2f} {c_lsa:8.2f}   {lsa_primary:>12,}"
        f"  (primary roles only, {sum(r['primary_metres'] for r in lsa):,.0f} m)"
    )
    print(
        f"  Linli primary roles                          {ours_primary:>12,}  ({sum(r['primary_metres'] for r in ours):,.0f} m)"
    )
    print()
    print(
        f"  time ratio Linli / greedy {t_ours / t_greedy:.2f} (CPU {c_ours / c_greedy:.2f}),"
        f" Linli / assignment {t_ours / t_lsa:.2f} (CPU {c_ours / c_lsa:.2f})"
    )
    print(
        f"  greedy leaves {greedy_filled and (roles - greedy_filled) - (roles - ours_filled):,} more gaps than the optimum"
    )
    same = [
        (o, g)
        for o, g in zip(ours, greedy, strict=True)
        if o["primary"] + o["backup"] == g["primary"] + g["backup"]
    ]
    extra = sum(g["metres"] - o["metres"] for o, g in same)
    print(
        f"  where greedy fills as many roles ({len(same):,} communities) it walks {extra:,.0f} m more"
        f" ({100 * extra / max(sum(o['metres'] for o, _ in same), 1):.1f}%)"
    )
    print(f"  plans proven by: {', '.join(f'{k} {v:,}' for k, v in sorted(by_method.items()))}")
    for key, what in (("seconds", "wall"), ("cpu", "CPU")):
        values = [r[key] for r in ours]
        print(
            f"  per community, {what}: median {_ms(values, 0.5):.1f} ms,"
            f" p99 {_ms(values, 0.99):.1f} ms, max {_ms(values, 1.0):.1f} ms"
        )
    print()
    print(
        "repair (plan in force, one change)   cases  median ms  p99 ms  max ms"
        "  CPU median  p99  roles changed (mean)"
    )
    for kind, label in (
        ("drop-out", "one guardian falls sick"),
        ("seal", "one more compound sealed"),
    ):
        rows = _rows(parts, kind)
        seconds = [r["seconds"] for r in rows]
        cpu = [r["cpu"] for r in rows]
        print(
            f"  {label:<33} {len(rows):>5}  {_ms(seconds, 0.5):>9.1f}  {_ms(seconds, 0.99):>6.1f}"
            f"  {_ms(seconds, 1.0):>6.1f}  {_ms(cpu, 0.5):>10.1f} {_ms(cpu, 0.99):>4.0f}"
            f"  {statistics.fmean(r['changed'] for r in rows) if rows else 0:.2f}"
        )
    print()
    peak = max(p["peak_mib"] for p in parts)
    print(
        f"load average at the end {os.getloadavg()[0]:.1f} (other work on the machine inflates wall times)"
    )
    print(
        f"peak memory per worker {peak:.0f} MiB; whole run {total:.0f} s (scenario generation untimed)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
