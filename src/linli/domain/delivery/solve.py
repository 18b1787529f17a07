"""Routes for the day's packed orders: OR-Tools' vehicle-routing solver over each
independent part of the problem (a sealed compound with the volunteers who may enter it).

Model, per part: a vehicle per run slot of each carrier (:func:`parts.trips`), starting and
ending at the carrier's gate within the slot; capacity in kg (tenths) and in bags; each
order's arrival within its window (waiting allowed); an order only on runs of carriers the
reach rule lets in; every order optional at a penalty far above any walk, so the search
drops one only when it cannot be carried, medicine last. Objective: metres walked.

Orders that no run could carry alone are screened out first with their reason
(:mod:`explain`); orders the search still leaves out are explained as full runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .explain import crowded, screen
from .model import DAY, Problem, Route, Solution, Stop, Unmet, Visit
from .parts import Part, Trip, Walk, may_carry, parts, schedule, trips

DROP = 10_000_000  # metres: leaving out an order costs more than any walk
MEDICINE_DROP = 10 * DROP


def solve(problem: Problem) -> Solution:
    """Routes and the orders left out with their reasons; within ``params.time_limit`` s."""
    started = time.perf_counter()
    walk = Walk(problem.params)
    every_trip = [t for c in problem.carriers for t in trips(c, problem.params)]
    unmet: list[Unmet] = []
    kept: list[Stop] = []
    for stop in problem.stops:
        reason = screen(problem, stop, every_trip, walk)
        (unmet.append(reason) if reason else kept.append(stop))
    routes: list[Route] = []
    groups = parts(problem, kept)
    total = sum(len(g.stops) for g in groups) or 1
    for group in groups:
        budget = problem.params.time_limit * len(group.stops) / total
        found, left_out = _route_part(problem, group, walk, budget)
        routes.extend(found)
        part_trips = [t for c in group.carriers for t in trips(c, problem.params)]
        unmet.extend(crowded(problem, s, group.stops, part_trips) for s in left_out)
    carried = {v.stop for r in routes for v in r.visits}
    for stop in kept:  # a stop of a compound no carrier reaches is screened above
        if stop.id not in carried and all(u.stop != stop.id for u in unmet):
            unmet.append(crowded(problem, stop, kept, every_trip))
    return Solution(
        routes=tuple(routes),
        unmet=tuple(sorted(unmet, key=lambda u: str(u.stop))),
        metres=sum(r.metres for r in routes),
        seconds=time.perf_counter() - started,
        method="ortools",
    )


def _route_part(
    problem: Problem, part: Part, walk: Walk, budget: float
) -> tuple[list[Route], list[Stop]]:
    params = problem.params
    vehicles = [t for c in part.carriers for t in trips(c, params)]
    gates = sorted({(c.x, c.y) for c in part.carriers})
    gate_node = {xy: i for i, xy in enumerate(gates)}
    points: list[Stop | tuple[float, float]] = [*gates, *part.stops]
    n = len(points)
    xy = [(p if isinstance(p, tuple) else (p.x, p.y)) for p in points]
    metres = [
        [round(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 * params.detour) for bx, by in xy]
        for ax, ay in xy
    ]
    service = [0] * len(gates) + [s.service for s in part.stops]
    minutes = [[service[i] + walk.minutes(metres[i][j]) for j in range(n)] for i in range(n)]
    starts = [gate_node[(t.carrier.x, t.carrier.y)] for t in vehicles]
    manager = pywrapcp.RoutingIndexManager(n, len(vehicles), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(metres))
    routing.AddDimension(routing.RegisterTransitMatrix(minutes), DAY, DAY, False, "time")
    clock = routing.GetDimensionOrDie("time")
    tenths = [0] * len(gates) + [round(s.kg * 10) for s in part.stops]
    bags = [0] * len(gates) + [int(s.bags) for s in part.stops]
    for name, demand, capacity in (
        ("kg", tenths, [round(t.carrier.kg * 10) for t in vehicles]),
        ("bags", bags, [int(t.carrier.bags) for t in vehicles]),
    ):
        callback = routing.RegisterUnaryTransitVector(demand)
        routing.AddDimensionWithVehicleCapacity(callback, 0, capacity, True, name)
    for v, trip in enumerate(vehicles):
        clock.CumulVar(routing.Start(v)).SetRange(trip.start, trip.end)
        clock.CumulVar(routing.End(v)).SetRange(trip.start, trip.end)
    for k, stop in enumerate(part.stops):
        index = manager.NodeToIndex(len(gates) + k)
        clock.CumulVar(index).SetRange(stop.earliest, stop.latest)
        allowed = [v for v, t in enumerate(vehicles) if _may(problem, stop, t)]
        if len(allowed) < len(vehicles):  # (this binding takes no list for the allowed set)
            routing.VehicleVar(index).SetValues([-1, *allowed])
        routing.AddDisjunction([index], MEDICINE_DROP if stop.kind == "medicine" else DROP)
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    search.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    search.time_limit.FromMilliseconds(max(20, int(budget * 1000)))
    if params.solution_limit is not None:
        search.solution_limit = params.solution_limit
    solution = routing.SolveWithParameters(search)
    if solution is None:  # no first solution in time: carry nothing rather than guess
        return [], list(part.stops)
    routes = []
    carried: set[int] = set()
    for v, trip in enumerate(vehicles):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        order = []
        while not routing.IsEnd(index):
            k = manager.IndexToNode(index) - len(gates)
            order.append(part.stops[k])
            carried.add(k)
            index = solution.Value(routing.NextVar(index))
        if order:
            routes.append(build_route(trip, order, walk))
    return routes, [s for k, s in enumerate(part.stops) if k not in carried]


def _may(problem: Problem, stop: Stop, trip: Trip) -> bool:
    return may_carry(stop, trip.carrier, problem.sealed)


def build_route(trip: Trip, order: Sequence[Stop], walk: Walk) -> Route:
    arrivals, end, walked, kg, bags = schedule(trip, order, walk)
    return Route(
        carrier=trip.carrier.id,
        trip=trip.number,
        start=trip.start,
        end=end,
        visits=tuple(Visit(s.id, a) for s, a in zip(order, arrivals, strict=True)),
        metres=walked,
        kg=round(kg, 3),
        bags=bags,
    )
