"""An independent exact solver for the planner's tests: the whole integer programme in CP-SAT.

Too slow for real communities, fine for a few dozen wards; it shares nothing with the
planner but the hard rules (``can_serve``), so agreement is evidence of optimality.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from linli.domain.matching.model import ROLES, Scenario, can_serve

SCALE = 1000  # millimetres


def optimum(scenario: Scenario) -> tuple[int, int, float]:
    """(primary roles filled, backup roles filled, cost) of an optimal plan."""
    model = cp_model.CpModel()
    limits = {"primary": "capacity", "backup": "backup_capacity"}
    weight = {"primary": 1.0, "backup": scenario.backup_distance}
    x, cost = {}, {}
    for wi, w in enumerate(scenario.wards):
        for vi, v in enumerate(scenario.volunteers):
            if not can_serve(w, v, scenario.sealed):
                continue
            for role in ROLES:
                x[wi, vi, role] = model.new_bool_var("")
                before = scenario.current.get((w.id, role))
                change = scenario.change if before is not None and before != v.id else 0.0
                cost[wi, vi, role] = weight[role] * math.hypot(w.x - v.x, w.y - v.y) + change
    for wi, w in enumerate(scenario.wards):
        for role in ROLES:
            chosen = [var for (a, _, r), var in x.items() if a == wi and r == role]
            model.add_at_most_one(chosen)
            pinned = scenario.pinned.get((w.id, role))
            for (a, vi, r), var in x.items():
                if a == wi and r == role and pinned is not None:
                    model.add(var == int(scenario.volunteers[vi].id == pinned))
        for vi in range(len(scenario.volunteers)):
            if (wi, vi, "primary") in x:
                model.add_at_most_one([x[wi, vi, "primary"], x[wi, vi, "backup"]])
    for vi, v in enumerate(scenario.volunteers):
        for role in ROLES:
            model.add(
                sum(var for (_, b, r), var in x.items() if b == vi and r == role)
                <= getattr(v, limits[role])
            )
    filled = {role: sum(var for (_, _, r), var in x.items() if r == role) for role in ROLES}
    empty_change = []
    for wi, w in enumerate(scenario.wards):
        for role in ROLES:
            if (w.id, role) in scenario.current:
                taken = sum(var for (a, _, r), var in x.items() if a == wi and r == role)
                empty_change.append(round(SCALE * scenario.change) * (1 - taken))
    scaled = sum(round(SCALE * cost[k]) * var for k, var in x.items()) + sum(empty_change)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    results = []
    # Lexicographic in three solves: no weights, so no overflow or rounding between levels.
    for role in ROLES:
        model.maximize(filled[role])
        assert solver.solve(model) == cp_model.OPTIMAL
        results.append(round(solver.objective_value))
        model.add(filled[role] == results[-1])
    model.minimize(scaled)
    assert solver.solve(model) == cp_model.OPTIMAL
    return results[0], results[1], solver.objective_value / SCALE
