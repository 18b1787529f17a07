"""The peer: the nearest-neighbour rule most delivery tools use. Runs are filled in time
order (every carrier's first run, then every second run, …); each run goes on to the
nearest order it may carry that still fits its load, its window and the way back."""

from __future__ import annotations

import time

from .explain import crowded, screen
from .model import Problem, Solution, Stop, Unmet
from .parts import Walk, may_carry, schedule, trips
from .solve import build_route


def nearest_neighbour(problem: Problem) -> Solution:
    started = time.perf_counter()
    walk = Walk(problem.params)
    every_trip = sorted(
        (t for c in problem.carriers for t in trips(c, problem.params)),
        key=lambda t: (t.start, t.number),
    )
    unmet: list[Unmet] = []
    left: list[Stop] = []
    for stop in problem.stops:
        reason = screen(problem, stop, every_trip, walk)
        (unmet.append(reason) if reason else left.append(stop))
    kept = list(left)
    routes = []
    for trip in every_trip:
        order: list[Stop] = []
        while True:
            best, best_metres = None, None
            here = order[-1] if order else trip.carrier
            for stop in left:
                if not may_carry(stop, trip.carrier, problem.sealed):
                    continue
                step = walk.metres(here, stop)
                if best_metres is not None and step >= best_metres:
                    continue
                arrivals, end, _m, kg, bags = schedule(trip, [*order, stop], walk)
                if (
                    arrivals[-1] <= stop.latest
                    and end <= trip.end
                    and kg <= trip.carrier.kg + 1e-9
                    and bags <= trip.carrier.bags
                ):
                    best, best_metres = stop, step
            if best is None:
                break
            order.append(best)
            left.remove(best)
        if order:
            routes.append(build_route(trip, order, walk))
    unmet.extend(crowded(problem, s, kept, every_trip) for s in left)
    return Solution(
        routes=tuple(routes),
        unmet=tuple(sorted(unmet, key=lambda u: str(u.stop))),
        metres=sum(r.metres for r in routes),
        seconds=time.perf_counter() - started,
        method="nearest-neighbour",
    )
