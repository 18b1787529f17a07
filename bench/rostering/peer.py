"""The plain peer model: one CP-SAT Boolean per employee × day × shift, rules and objective
written directly from FORMAT.md, no tuning. Written independently of the Linli solver so the
benchmark compares against what anyone would write first.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from linli.domain.rostering.model import Instance, Roster


def solve_plain(
    instance: Instance, time_limit: float, workers: int = 2
) -> tuple[Roster | None, float]:
    m = cp_model.CpModel()
    H, S, E = instance.horizon, instance.shifts, instance.staff
    x = {
        (e, d, s): m.new_bool_var("")
        for e in range(len(E))
        for d in range(H)
        for s in range(len(S))
    }
    sid = {s.id: i for i, s in enumerate(S)}
    eid = {e.id: i for i, e in enumerate(E)}
    w = {}
    for e, staff in enumerate(E):
        for d in range(H):
            w[e, d] = m.new_bool_var("")
            m.add(w[e, d] == sum(x[e, d, s] for s in range(len(S))))
            if d in staff.days_off:
                m.add(w[e, d] == 0)
        for d in range(H - 1):
            for s, shift in enumerate(S):
                for t, nxt in enumerate(S):
                    if nxt.id in shift.forbidden_next:
                        m.add(x[e, d, s] + x[e, d + 1, t] <= 1)
        for s, shift in enumerate(S):
            m.add(sum(x[e, d, s] for d in range(H)) <= staff.limit(shift.id, H))
        minutes = sum(S[s].minutes * x[e, d, s] for d in range(H) for s in range(len(S)))
        m.add(minutes <= staff.max_minutes)
        m.add(minutes >= staff.min_minutes)
        for d in range(H - staff.max_consecutive):
            m.add(
                sum(w[e, d + i] for i in range(staff.max_consecutive + 1)) <= staff.max_consecutive
            )
        for k in range(1, staff.min_consecutive):
            for d in range(1, H - k):
                m.add_bool_or([w[e, d - 1], *[~w[e, d + i] for i in range(k)], w[e, d + k]])
        for k in range(1, staff.min_days_off):
            for d in range(1, H - k):
                m.add_bool_or([~w[e, d - 1], *[w[e, d + i] for i in range(k)], ~w[e, d + k]])
        weekends = []
        for k in range(H // 7):
            we = m.new_bool_var("")
            m.add_max_equality(we, [w[e, 7 * k + 5], w[e, 7 * k + 6]])
            weekends.append(we)
        m.add(sum(weekends) <= staff.max_weekends)
    cost = 0
    for r in instance.on_requests:
        cost += r.weight * (1 - x[eid[r.staff], r.day, sid[r.shift]])
    for r in instance.off_requests:
        cost += r.weight * x[eid[r.staff], r.day, sid[r.shift]]
    for c in instance.cover:
        under, over = m.new_int_var(0, len(E), ""), m.new_int_var(0, len(E), "")
        m.add(sum(x[e, c.day, sid[c.shift]] for e in range(len(E))) - c.requirement == over - under)
        cost += c.under_weight * under + c.over_weight * over
    m.minimize(cost)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    started = time.monotonic()
    status = solver.solve(m)
    seconds = time.monotonic() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, seconds
    rows = [
        tuple(
            next((S[s].id for s in range(len(S)) if solver.boolean_value(x[e, d, s])), None)
            for d in range(H)
        )
        for e in range(len(E))
    ]
    return Roster(instance.staff_ids, tuple(rows)), seconds
