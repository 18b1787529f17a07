"""An independent check of a solution against its problem: every rule, recomputed."""

from __future__ import annotations

from .model import Problem, Solution
from .parts import Walk, may_carry, schedule, trips


def violations(problem: Problem, solution: Solution) -> list[str]:
    """What breaks a rule (empty when every window, capacity and reach rule holds and every
    order is carried once or explained once)."""
    walk = Walk(problem.params)
    stops = {s.id: s for s in problem.stops}
    slots = {
        (t.carrier.id, t.number): t for c in problem.carriers for t in trips(c, problem.params)
    }
    found: list[str] = []
    seen: dict[object, int] = {}
    for route in solution.routes:
        trip = slots.get((route.carrier, route.trip))
        if trip is None:
            found.append(f"run {route.carrier}/{route.trip} is not a slot of that carrier")
            continue
        order = [stops[v.stop] for v in route.visits]
        arrivals, end, metres, kg, bags = schedule(trip, order, walk)
        if kg > trip.carrier.kg + 1e-9 or bags > trip.carrier.bags:
            found.append(f"run {route.carrier}/{route.trip} carries {kg} kg / {bags} bags")
        if end > trip.end:
            found.append(f"run {route.carrier}/{route.trip} is back at {end} after {trip.end}")
        if metres != route.metres:
            found.append(f"run {route.carrier}/{route.trip} says {route.metres} m, walks {metres}")
        for stop, arrival, visit in zip(order, arrivals, route.visits, strict=True):
            seen[stop.id] = seen.get(stop.id, 0) + 1
            if not stop.earliest <= arrival <= stop.latest:
                found.append(
                    f"order {stop.id} reached at {arrival}, window {stop.earliest}–{stop.latest}"
                )
            if visit.arrival != arrival:
                found.append(f"order {stop.id}: said {visit.arrival}, arrives {arrival}")
            if not may_carry(stop, trip.carrier, problem.sealed):
                found.append(
                    f"order {stop.id}: carrier {trip.carrier.id} may not enter {stop.compound}"
                )
    for u in solution.unmet:
        seen[u.stop] = seen.get(u.stop, 0) + 1
    for stop_id in stops:
        if seen.get(stop_id, 0) != 1:
            found.append(f"order {stop_id} is carried or explained {seen.get(stop_id, 0)} times")
    if solution.metres != sum(r.metres for r in solution.routes):
        found.append("total metres do not add up")
    return found
