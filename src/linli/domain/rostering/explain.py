"""Why no roster can hold every rule, in words a scheduler can act on.

Every hard rule of the benchmark concerns one employee (cover is soft), so an instance is
infeasible exactly when some employee's own rules contradict each other. For each such
employee we name the rules that, if relaxed alone, would make a roster possible.
"""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from .cpmodel import CpRoster
from .model import Instance, Staff

RELAXATIONS: dict[str, dict[str, object]] = {
    "minimum total minutes": {"min_minutes": 0},
    "maximum total minutes": {"max_minutes": 10**9},
    "maximum consecutive shifts": {"max_consecutive": 10**6},
    "minimum consecutive shifts": {"min_consecutive": 0},
    "minimum consecutive days off": {"min_days_off": 0},
    "maximum weekends": {"max_weekends": 10**6},
    "fixed days off": {"days_off": frozenset()},
    "maximum shifts per type": {"max_shifts": {}},
}


def _feasible(instance: Instance, staff: Staff) -> bool:
    alone = replace(instance, staff=(staff,), on_requests=(), off_requests=(), cover=())
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = 1
    return solver.solve(CpRoster(alone).model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def explain_infeasible(instance: Instance) -> tuple[str, ...]:
    """One sentence per employee whose rules cannot all hold, naming the rules in conflict."""
    lines = []
    for staff in instance.staff:
        if _feasible(instance, staff):
            continue
        culprits = [
            name
            for name, change in RELAXATIONS.items()
            if _feasible(instance, replace(staff, **change))  # type: ignore[arg-type]
        ]
        if culprits:
            lines.append(
                f"employee {staff.id}: no roster holds all their rules; relaxing any one of "
                f"these would allow one: {', '.join(culprits)}"
            )
        else:
            lines.append(
                f"employee {staff.id}: no roster holds all their rules, and relaxing a single "
                "rule is not enough"
            )
    return tuple(lines) or ("the rules of several employees conflict together",)
