"""The peer: the nearest-neighbour rule most delivery tools use. Runs are filled in time
order (every carrier's first run, then every second run, …); each run goes on to the
nearest order it may carry that still fits its load, its window and the way back."""

from __future__ import annotations

import time

from .explain import crowded, screen
from .model import Problem, Solution, Stop, Unmet
from .parts import Reach, Walk, schedule
from .solve import build_route


def nearest_neighbour(problem: Problem) -> Solution:
    started = time.perf_counter()
    walk = Walk(problem.params)
    reach = Reach(problem)
    every_trip = sorted(reach.all_trips(), key=lambda t: (t.start, t.number))
    unmet: list[Unmet] = []
    left: dict[str, list[Stop]] = {}  # by compound
    for stop in problem.stops:
        reason = screen(problem, stop, reach, walk)
        if reason:
            unmet.append(reason)
        else:
            left.setdefault(stop.compound, []).append(stop)
    kept = {c: list(group) for c, group in left.items()}
    entered = {
        c.id: [k for k, group in left.items() if c.id in reach.allowed(group[0])]
        for c in problem.carriers
    }
    routes = []
    for trip in every_trip:
        order: list[Stop] = []
        candidates = [s for k in entered[trip.carrier.id] for s in left[k]]
        while candidates:
            here = order[-1] if order else trip.carrier
            best, best_metres = None, None
            for stop in sorted(candidates, key=lambda s: walk.metres(here, s)):
                arrivals, end, _m, kg, bags = schedule(trip, [*order, stop], walk)
                if (
                    arrivals[-1] <= stop.latest
                    and end <= trip.end
                    and kg <= trip.carrier.kg + 1e-9
                    and bags <= trip.carrier.bags
                ):
                    best, best_metres = stop, walk.metres(here, stop)
                    break
            if best is None or best_metres is None:
                break
            order.append(best)
            candidates.remove(best)
            left[best.compound].remove(best)
        if order:
            routes.append(build_route(trip, order, walk))
    for group in left.values():
        for s in group:
            near = [o for k, g in kept.items() if reach.allowed(g[0]) & reach.allowed(s) for o in g]
            unmet.append(crowded(s, near, reach))
    return Solution(
        routes=tuple(routes),
        unmet=tuple(sorted(unmet, key=lambda u: str(u.stop))),
        metres=sum(r.metres for r in routes),
        seconds=time.perf_counter() - started,
        method="nearest-neighbour",
    )
