"""A first roster in one pass: each employee's row built day by day, greedily towards the
cover still missing, holding every hard rule by construction.

It is what the solver starts from at any size (linear in employees × days × shift types, a
second or two at 150 × 364 × 32), so a valid roster exists long before any search has run.
A block of work is only started when its minimum length fits before the next fixed day off,
within the minutes, type counts and weekends left; an employee then works while the cover
needs them or while they are behind the pace of their minimum minutes. A row that still
ends below its minimum is rebuilt working whenever it may; if that fails too, CP-SAT finds
the employee's row alone (or proves there is none: the caller explains why).
"""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from .cpmodel import CpRoster
from .evaluate import check_staff
from .model import Instance, Roster, Staff


def construct(instance: Instance, deadline: float | None = None) -> Roster | None:
    """A roster holding every hard rule, or None if some employee's rules admit no row
    (or ``deadline``, a ``time.monotonic()`` value, passed in a CP-SAT fallback)."""
    horizon, shifts = instance.horizon, instance.shifts
    index = {s.id: i for i, s in enumerate(shifts)}
    need = np.zeros((horizon, len(shifts)))
    for c in instance.cover:
        need[c.day, index[c.shift]] += c.requirement
    wish = np.zeros((len(instance.staff), horizon, len(shifts)))
    staff_index = {e.id: i for i, e in enumerate(instance.staff)}
    for r in instance.on_requests:
        wish[staff_index[r.staff], r.day, index[r.shift]] += r.weight
    for r in instance.off_requests:
        wish[staff_index[r.staff], r.day, index[r.shift]] -= r.weight
    # The least flexible first: they take what only they can do.
    order = sorted(
        range(len(instance.staff)),
        key=lambda e: sum(instance.staff[e].limit(s.id, horizon) > 0 for s in shifts),
    )
    rows: list[tuple[str | None, ...] | None] = [None] * len(instance.staff)
    for e in order:
        row = None
        for eager in (False, True):
            row = _row(instance, e, need, wish[e], eager)
            if row is not None and not check_staff(instance, instance.staff[e], row):
                break
            row = None
        if row is None:
            row = _row_by_cp(instance, e, need, deadline)
            if row is None:
                return None
        rows[e] = row
        for d, shift in enumerate(row):
            if shift is not None:
                need[d, index[shift]] -= 1
    return Roster(instance.staff_ids, tuple(r for r in rows if r is not None))


def _row(
    instance: Instance, e: int, need: np.ndarray, wish: np.ndarray, eager: bool
) -> tuple[str | None, ...] | None:
    staff, horizon, shifts = instance.staff[e], instance.horizon, instance.shifts
    n = len(shifts)
    minutes_of = [s.minutes for s in shifts]
    left = [staff.limit(s.id, horizon) for s in shifts]
    follows = [[s.id not in shifts[t].forbidden_next for s in shifts] for t in range(n)]
    self_ok = [follows[t][t] for t in range(n)]
    minutes, weekends = 0, 0
    worked_weekend: set[int] = set()
    row: list[int | None] = [None] * horizon
    run_work, run_off = 0, 0  # length of the current block (one of them is 0)
    from_start = True  # the current block started on day 0
    forced_until = -1  # work is promised up to this day (the minimum run)
    least = max(1, staff.min_consecutive)

    def weekend_cost(days: range) -> int:
        weeks = {d // 7 for d in days if d % 7 >= 5} - worked_weekend
        return len(weeks)

    def can_work(d: int, t: int, previous: int | None) -> bool:
        return (
            left[t] > 0
            and minutes + minutes_of[t] <= staff.max_minutes
            and (previous is None or follows[previous][t])
            and (d % 7 < 5 or d // 7 in worked_weekend or weekends < staff.max_weekends)
        )

    for d in range(horizon):
        previous = row[d - 1] if d > 0 else None
        choice: int | None = None
        if d in staff.days_off:
            choice = None
        elif run_work and d <= forced_until:
            # Keep the promised run: the same type if it may follow itself, else any.
            candidates = [t for t in range(n) if can_work(d, t, previous)]
            if previous is not None and previous in candidates:
                choice = previous
            elif candidates:
                choice = max(candidates, key=lambda t: need[d, t] + wish[d, t])
            else:
                return None
        elif run_work:
            if run_work < staff.max_consecutive:
                candidates = [t for t in range(n) if can_work(d, t, previous)]
                choice = _wanted(candidates, d, need, wish, minutes, staff, horizon, eager)
        elif from_start or run_off >= staff.min_days_off:
            # Start a block only if its minimum run fits.
            span = range(d, min(horizon, d + least))
            if not any(x in staff.days_off for x in span) and least <= staff.max_consecutive:
                candidates = [
                    t
                    for t in range(n)
                    if can_work(d, t, None)
                    and (len(span) == 1 or self_ok[t])
                    and left[t] >= len(span)
                    and minutes + minutes_of[t] * len(span) <= staff.max_minutes
                ]
                if weekend_cost(span) + weekends > staff.max_weekends:
                    candidates = []
                choice = _wanted(candidates, d, need, wish, minutes, staff, horizon, eager)
                if choice is not None:
                    forced_until = span[-1]
        if choice is None:
            if run_work:
                from_start = False
                run_work = 0
            run_off += 1
        else:
            if not run_work:
                from_start = d == 0
                run_off = 0
            run_work += 1
            left[choice] -= 1
            minutes += minutes_of[choice]
            if d % 7 >= 5 and d // 7 not in worked_weekend:
                worked_weekend.add(d // 7)
                weekends += 1
        row[d] = choice
    if minutes < staff.min_minutes:
        return None
    return tuple(None if t is None else shifts[t].id for t in row)


def _wanted(
    candidates: list[int],
    d: int,
    need: np.ndarray,
    wish: np.ndarray,
    minutes: int,
    staff: Staff,
    horizon: int,
    eager: bool,
) -> int | None:
    """The type to work on day ``d``, or None: the most needed, if needed or behind pace."""
    if not candidates:
        return None
    best = max(candidates, key=lambda t: (need[d, t] + 0.01 * wish[d, t], -t))
    behind = minutes < staff.min_minutes * (d + 1) / horizon + 480
    if eager or need[d, best] > 0 or behind:
        return best
    return None


def _row_by_cp(
    instance: Instance, e: int, need: np.ndarray, deadline: float | None
) -> tuple[str | None, ...] | None:
    """The employee's row from CP-SAT with their rules alone, towards the cover missing."""
    staff = instance.staff[e]
    alone = Instance(instance.horizon, instance.shifts, (staff,), name=instance.name)
    cp = CpRoster(alone)
    cp.model.minimize(sum(-int(max(0, need[d, s])) * var for (_, d, s), var in cp.x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    seconds = 10.0 if deadline is None else max(0.1, deadline - time.monotonic())
    solver.parameters.max_time_in_seconds = min(10.0, seconds)
    status = solver.solve(cp.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return cp.roster(solver).rows[0]
