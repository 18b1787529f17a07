"""Best-response descent: each employee in turn takes the cheapest row given everyone else's.

With the others' rows held, what one employee's row costs is exact and separable by cell:
their requests, plus for each (day, shift) they work how much the cover penalty changes when
one more person is on it. The row programme (:mod:`.pricing`) finds the cheapest such row
under every rule in milliseconds, so sweeping the staff until no one can improve takes a
fraction of a second and removes a first roster's gross defects before the slower
neighbourhood search takes over. Every accepted row holds every rule (checked), and each
step strictly lowers the penalty, so the descent ends.
"""

from __future__ import annotations

import time

import numpy as np

from .evaluate import check_staff
from .model import Instance, Roster
from .pricing import RowProgramme


def descend(
    instance: Instance,
    roster: Roster,
    deadline: float,
    programmes: list[RowProgramme] | None = None,
) -> Roster:
    """``roster`` improved one employee at a time until no one's row can improve alone (or
    until ``deadline``, a ``time.monotonic()`` value)."""
    horizon, shifts = instance.horizon, instance.shifts
    index = {s.id: i for i, s in enumerate(shifts)}
    staff_index = {e.id: i for i, e in enumerate(instance.staff)}
    n_staff = len(instance.staff)
    requests = np.zeros((n_staff, horizon, len(shifts)))
    for r in instance.on_requests:
        requests[staff_index[r.staff], r.day, index[r.shift]] -= r.weight
    for r in instance.off_requests:
        requests[staff_index[r.staff], r.day, index[r.shift]] += r.weight
    need = np.zeros((horizon, len(shifts)))
    under = np.zeros((horizon, len(shifts)))
    over = np.zeros((horizon, len(shifts)))
    for c in instance.cover:
        need[c.day, index[c.shift]] += c.requirement
        under[c.day, index[c.shift]] = c.under_weight
        over[c.day, index[c.shift]] = c.over_weight
    rows = [list(row) for row in roster.rows]
    on = np.zeros((horizon, len(shifts)))
    for row in rows:
        for d, shift in enumerate(row):
            if shift is not None:
                on[d, index[shift]] += 1
    if programmes is None:
        programmes = [RowProgramme(instance, e) for e in range(n_staff)]

    def cover_cost(count: np.ndarray) -> np.ndarray:
        return under * np.maximum(0, need - count) + over * np.maximum(0, count - need)

    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for e in range(n_staff):
            if time.monotonic() >= deadline:
                break
            mine = np.zeros((horizon, len(shifts)))
            for d, shift in enumerate(rows[e]):
                if shift is not None:
                    mine[d, index[shift]] = 1
            others = on - mine
            cost = requests[e] + cover_cost(others + 1) - cover_cost(others)
            current = float((cost * mine).sum())
            priced = programmes[e].price(cost, deadline=deadline)
            if priced.row is None or priced.cost >= current - 1e-9:
                continue
            if check_staff(instance, instance.staff[e], priced.row):
                continue
            rows[e] = list(priced.row)
            on = others
            for d, shift in enumerate(priced.row):
                if shift is not None:
                    on[d, index[shift]] += 1
            improved = True
    return Roster(roster.staff, tuple(tuple(row) for row in rows))
