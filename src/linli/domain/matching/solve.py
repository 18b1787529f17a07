"""Optimal guardian plans with OR-Tools CP-SAT.

Objective, lexicographic: (1) most primary roles filled, (2) then most backup roles,
(3) then least cost = Σ dist(ward, primary) + backup_distance · Σ dist(ward, backup)
+ change · (roles whose volunteer differs from the plan in force). The three levels
are folded into one integer objective with weights large enough that one more filled
role always outweighs any cost; distances are counted in centimetres.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from .explain import gap_reason
from .model import ROLES, Scenario, can_serve, distance, parse_scenario

SCALE = 100  # centimetres


@dataclass(frozen=True)
class Plan:
    assignments: tuple[dict[str, Any], ...]
    gaps: tuple[dict[str, Any], ...]
    cost: float
    primary_filled: int
    backup_filled: int
    changed: int
    optimal: bool
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "assignments": list(self.assignments),
            "gaps": list(self.gaps),
            "cost": round(self.cost, 3),
        }


def solve(scenario: Scenario, *, time_limit: float = 30.0, seed: int = 0) -> Plan:
    """The optimal plan for one scenario (one community)."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    x: dict[tuple[int, int, str], cp_model.IntVar] = {}
    role_cost: dict[tuple[int, int, str], int] = {}
    limits = {"primary": "capacity", "backup": "backup_capacity"}
    weights = {"primary": 1.0, "backup": scenario.backup_distance}
    for wi, ward in enumerate(scenario.wards):
        for vi, volunteer in enumerate(scenario.volunteers):
            if not can_serve(ward, volunteer, scenario.sealed):
                continue
            d = distance(ward, volunteer)
            for role in ROLES:
                if getattr(volunteer, limits[role]) <= 0:
                    continue
                var = model.new_bool_var(f"{role}_{wi}_{vi}")
                x[(wi, vi, role)] = var
                cost = round(SCALE * weights[role] * d)
                current = scenario.current.get((ward.id, role))
                if current is not None and current != volunteer.id:
                    cost += round(SCALE * scenario.change)
                role_cost[(wi, vi, role)] = cost
    by_ward_role: dict[tuple[int, str], list] = {}
    by_volunteer_role: dict[tuple[int, str], list] = {}
    for (wi, vi, role), var in x.items():
        by_ward_role.setdefault((wi, role), []).append(var)
        by_volunteer_role.setdefault((vi, role), []).append(var)
    for vars_ in by_ward_role.values():
        model.add_at_most_one(vars_)
    for (vi, role), vars_ in by_volunteer_role.items():
        model.add(sum(vars_) <= getattr(scenario.volunteers[vi], limits[role]))
    for wi in range(len(scenario.wards)):
        for vi in range(len(scenario.volunteers)):
            if (wi, vi, "primary") in x and (wi, vi, "backup") in x:
                model.add_at_most_one([x[(wi, vi, "primary")], x[(wi, vi, "backup")]])
    index = {v.id: vi for vi, v in enumerate(scenario.volunteers)}
    ward_index = {w.id: wi for wi, w in enumerate(scenario.wards)}
    for (ward_id, role), vid in scenario.pinned.items():
        model.add(x[(ward_index[ward_id], index[vid], role)] == 1)
    # A role that was filled in the plan in force and is now left empty also counts as changed.
    unfilled_penalty = round(SCALE * scenario.change)
    empty_terms = []
    for wi, ward in enumerate(scenario.wards):
        for role in ROLES:
            if scenario.current.get((ward.id, role)) is not None:
                filled = sum(by_ward_role.get((wi, role), []))
                empty_terms.append(unfilled_penalty * (1 - filled))
    max_cost = sum(role_cost.values()) + unfilled_penalty * len(empty_terms) + 1
    backup_weight = max_cost
    primary_weight = backup_weight * (len(scenario.wards) + 1)
    model.maximize(
        sum(primary_weight * v for (_, _, r), v in x.items() if r == "primary")
        + sum(backup_weight * v for (_, _, r), v in x.items() if r == "backup")
        - sum(role_cost[k] * v for k, v in x.items())
        - sum(empty_terms)
    )
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"the planner found no plan ({solver.status_name(status)})")
    chosen: dict[tuple[int, str], int] = {
        (wi, role): vi for (wi, vi, role), var in x.items() if solver.boolean_value(var)
    }
    return _plan(scenario, chosen, status == cp_model.OPTIMAL, time.perf_counter() - started)


def _plan(
    scenario: Scenario, chosen: dict[tuple[int, str], int], optimal: bool, seconds: float
) -> Plan:
    assignments, gaps = [], []
    cost = 0.0
    changed = 0
    load = {"primary": [0] * len(scenario.volunteers), "backup": [0] * len(scenario.volunteers)}
    for (_, role), vi in chosen.items():
        load[role][vi] += 1
    for wi, ward in enumerate(scenario.wards):
        row: dict[str, Any] = {"ward": ward.id, "primary": None, "backup": None}
        for role in ROLES:
            vi = chosen.get((wi, role))
            before = scenario.current.get((ward.id, role))
            if vi is None:
                gaps.append(
                    {
                        "ward": ward.id,
                        "role": role,
                        "reason": gap_reason(scenario, ward, role, load),
                    }
                )
                if before is not None:
                    changed += 1
                continue
            volunteer = scenario.volunteers[vi]
            row[role] = volunteer.id
            cost += distance(ward, volunteer) * (
                1.0 if role == "primary" else scenario.backup_distance
            )
            if before is not None and before != volunteer.id:
                changed += 1
        assignments.append(row)
    cost += scenario.change * changed
    return Plan(
        assignments=tuple(assignments),
        gaps=tuple(gaps),
        cost=cost,
        primary_filled=sum(1 for k in chosen if k[1] == "primary"),
        backup_filled=sum(1 for k in chosen if k[1] == "backup"),
        changed=changed,
        optimal=optimal,
        seconds=seconds,
    )


def solve_dict(data: dict[str, Any], *, time_limit: float = 30.0) -> dict[str, Any]:
    """``linli match`` in one call: scenario dict in, plan dict out."""
    return solve(parse_scenario(data), time_limit=time_limit).as_dict()
