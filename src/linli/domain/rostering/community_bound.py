"""A proven lower bound on an instance's penalty, cheap enough for every community roster.

The penalty is a sum of request terms (each employee's own) and cover terms. For the
request terms, each employee alone is solved exactly by dynamic programming over the
days with their fixed days off, their banned shift types (max 0) and the forbidden
successions, every other rule relaxed: no roster can do better for that employee. For
the cover terms, a line asking for more people than can work that shift that day at all
is short by at least the difference. Both parts only drop constraints, so their sum
bounds the optimum from below. On community instances, where nearly all cover can be
met, this is far tighter than the search's own bound.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Instance


def lower_bound(instance: Instance) -> int:
    return request_bound(instance) + cover_bound(instance)


def request_bound(instance: Instance) -> int:
    horizon = instance.horizon
    forbidden = {s.id: s.forbidden_next for s in instance.shifts}
    on: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    off: dict[tuple[str, int, str], int] = defaultdict(int)
    for r in instance.on_requests:
        on[r.staff, r.day].append((r.shift, r.weight))
    for r in instance.off_requests:
        off[r.staff, r.day, r.shift] += r.weight
    total = 0
    for staff in instance.staff:
        allowed = [s.id for s in instance.shifts if staff.limit(s.id, horizon) > 0]
        best: dict[str | None, int] = {None: 0}
        for day in range(horizon):
            states: list[str | None] = [None]
            if day not in staff.days_off:
                states += allowed
            wishes = on.get((staff.id, day), [])
            step: dict[str | None, int] = {}
            for state in states:
                cost = sum(w for shift, w in wishes if shift != state)
                if state is not None:
                    cost += off.get((staff.id, day, state), 0)
                reachable = [
                    value
                    for previous, value in best.items()
                    if previous is None or state is None or state not in forbidden[previous]
                ]
                step[state] = cost + min(reachable)
            best = step
        total += min(best.values())
    return total


def cover_bound(instance: Instance) -> int:
    horizon = instance.horizon
    total = 0
    for cover in instance.cover:
        able = sum(
            1
            for staff in instance.staff
            if cover.day not in staff.days_off and staff.limit(cover.shift, horizon) > 0
        )
        total += cover.under_weight * max(0, cover.requirement - able)
    return total
