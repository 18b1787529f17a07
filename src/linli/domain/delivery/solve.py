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

import math
import time
from collections.abc import Sequence

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .explain import crowded, screen
from .model import DAY, Problem, Route, Solution, Stop, Unmet, Visit
from .parts import Part, Reach, Trip, Walk, parts, schedule, trips

DROP = 10_000_000  # metres: leaving out an order costs more than any walk
MEDICINE_DROP = 10 * DROP


def solve(problem: Problem) -> Solution:
    """Routes and the orders left out with their reasons; within ``params.time_limit`` s."""
    started = time.perf_counter()
    walk = Walk(problem.params)
    reach = Reach(problem)
    unmet: list[Unmet] = []
    kept: list[Stop] = []
    for stop in problem.stops:
        reason = screen(problem, stop, reach, walk)
        (unmet.append(reason) if reason else kept.append(stop))
    routes: list[Route] = []
    groups = parts(problem, kept, reach)
    deadline = started + problem.params.time_limit
    left = sum(len(g.stops) for g in groups)
    for group in groups:
        # the time still left, shared by size among the parts still to route
        share = (deadline - time.perf_counter()) * len(group.stops) / max(left, 1)
        left -= len(group.stops)
        until = time.perf_counter() + share
        slots = sorted(
            (t for c in group.carriers for t in trips(c, problem.params)),
            key=lambda t: t.number,  # stable: every carrier's first run, then second, …
        )
        first = _enough(group, slots, problem.params.trip_minutes)
        found, left_out = _route_part(group, slots[:first], walk, reach, until)
        if left_out and first < len(slots):  # the rest of the runs for what did not fit
            rest = Part(tuple(left_out), group.carriers)
            more, left_out = _route_part(rest, slots[first:], walk, reach, until)
            found.extend(more)
        routes.extend(found)
        unmet.extend(crowded(s, group.stops, reach) for s in left_out)
    return Solution(
        routes=tuple(routes),
        unmet=tuple(sorted(unmet, key=lambda u: str(u.stop))),
        metres=sum(r.metres for r in routes),
        seconds=time.perf_counter() - started,
        method="ortools",
    )


SLACK = 1.5  # runs offered to the search per run the loads and the walking need at least
MINUTES_A_DOOR = 3.5  # service and the walk between doors, for counting runs only


def _enough(part: Part, slots: Sequence[Trip], trip_minutes: int) -> int:
    """How many runs to offer the search: a few more than the load, the bags and the time
    at the doors need. Every run slot of every carrier would make the model as large as the
    street's day (thousands of vehicles) for little gain."""
    if not slots:
        return 0
    kg = sum(s.kg for s in part.stops) / (sum(t.carrier.kg for t in slots) / len(slots) or 1)
    bags = sum(s.bags for s in part.stops) / (sum(t.carrier.bags for t in slots) / len(slots) or 1)
    doors = len(part.stops) * MINUTES_A_DOOR / trip_minutes
    return min(len(slots), math.ceil(SLACK * max(kg, bags, doors)) + 1)


def _route_part(
    part: Part, vehicles: Sequence[Trip], walk: Walk, reach: Reach, until: float
) -> tuple[list[Route], list[Stop]]:
    """Routes for one part on the run slots ``vehicles``, the search stopping at ``until``
    (perf_counter seconds; building the model counts against it), and the stops left out."""
    params = reach.problem.params
    if not vehicles:
        return [], list(part.stops)
    doors = _doors(
        part.stops, min(t.carrier.kg for t in vehicles), min(t.carrier.bags for t in vehicles)
    )
    nodes = [door for door, _members in doors]
    gates = sorted({(c.x, c.y) for c in part.carriers})
    gate_node = {xy: i for i, xy in enumerate(gates)}
    points: list[Stop | tuple[float, float]] = [*gates, *nodes]
    n = len(points)
    xy = [(p if isinstance(p, tuple) else (p.x, p.y)) for p in points]
    metres = [
        [round(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 * params.detour) for bx, by in xy]
        for ax, ay in xy
    ]
    service = [0] * len(gates) + [s.service for s in nodes]
    minutes = [[service[i] + walk.minutes(metres[i][j]) for j in range(n)] for i in range(n)]
    starts = [gate_node[(t.carrier.x, t.carrier.y)] for t in vehicles]
    manager = pywrapcp.RoutingIndexManager(n, len(vehicles), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(metres))
    routing.AddDimension(routing.RegisterTransitMatrix(minutes), DAY, DAY, False, "time")
    clock = routing.GetDimensionOrDie("time")
    tenths = [0] * len(gates) + [round(s.kg * 10) for s in nodes]
    bags = [0] * len(gates) + [int(s.bags) for s in nodes]
    for name, demand, capacity in (
        ("kg", tenths, [round(t.carrier.kg * 10) for t in vehicles]),
        ("bags", bags, [int(t.carrier.bags) for t in vehicles]),
    ):
        callback = routing.RegisterUnaryTransitVector(demand)
        routing.AddDimensionWithVehicleCapacity(callback, 0, capacity, True, name)
    for v, trip in enumerate(vehicles):
        clock.CumulVar(routing.Start(v)).SetRange(trip.start, trip.end)
        clock.CumulVar(routing.End(v)).SetRange(trip.start, trip.end)
    for k, stop in enumerate(nodes):
        index = manager.NodeToIndex(len(gates) + k)
        clock.CumulVar(index).SetRange(stop.earliest, stop.latest)
        ids = reach.allowed(stop)
        allowed = [v for v, t in enumerate(vehicles) if t.carrier.id in ids]
        if len(allowed) < len(vehicles):  # (this binding takes no list for the allowed set)
            routing.VehicleVar(index).SetValues([-1, *allowed])
        routing.AddDisjunction([index], MEDICINE_DROP if stop.kind == "medicine" else DROP)
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
    )
    search.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    if params.solution_limit is not None:
        search.solution_limit = params.solution_limit
    # The search starts from the nearest-door routes, so it never carries less than they do
    # and a part short of time still gets routes (a busy machine only costs distance).
    start = _nearest_doors(nodes, vehicles, len(gates), starts, metres, minutes, reach)
    search.time_limit.FromMilliseconds(max(20, int((until - time.perf_counter()) * 1000)))
    routing.CloseModelWithParameters(search)
    initial = routing.ReadAssignmentFromRoutes(start, True)
    solution = routing.SolveFromAssignmentWithParameters(initial, search) if initial else None
    if solution is None:
        solution = initial
    if solution is None:  # cannot happen when the start obeys the model; carry the start
        return _routes_of(start, vehicles, doors, len(gates), walk), [
            s
            for s in part.stops
            if s.id not in {m.id for r in start for k in r for m in doors[k - len(gates)][1]}
        ]
    routes = []
    carried: set[object] = set()
    for v, trip in enumerate(vehicles):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        order = []
        while not routing.IsEnd(index):
            k = manager.IndexToNode(index) - len(gates)
            order.extend(doors[k][1])
            carried.update(s.id for s in doors[k][1])
            index = solution.Value(routing.NextVar(index))
        if order:
            routes.append(build_route(trip, order, walk))
    return routes, [s for s in part.stops if s.id not in carried]


DOOR_ORDERS = 6  # orders handed over at one door stop at most


def _doors(stops: Sequence[Stop], kg: float, bags: int) -> list[tuple[Stop, list[Stop]]]:
    """Orders at the same building with the same window, as one stop of the model (the
    carrier hands them over one after the other): a sixth of the nodes on a street's day.
    A door stop carries at most one run's load of the smallest carrier; its window closes
    early enough for the last order to be handed over in time."""
    groups: dict[tuple, list[list[Stop]]] = {}
    for stop in stops:
        key = (stop.x, stop.y, stop.earliest, stop.latest, stop.kind == "medicine")
        chunks = groups.setdefault(key, [[]])
        last = chunks[-1]
        if last and (
            len(last) >= DOOR_ORDERS
            or sum(s.kg for s in last) + stop.kg > kg
            or sum(s.bags for s in last) + stop.bags > bags
        ):
            chunks.append(last := [])
        last.append(stop)
    doors = []
    for chunks in groups.values():
        for members in chunks:
            first = members[0]
            before_last = sum(s.service for s in members[:-1])
            door = Stop(
                id=len(doors),
                compound=first.compound,
                x=first.x,
                y=first.y,
                kg=sum(s.kg for s in members),
                bags=sum(s.bags for s in members),
                earliest=first.earliest,
                latest=max(first.earliest, first.latest - before_last),
                service=sum(s.service for s in members),
                kind=first.kind if first.kind == "medicine" else "",
            )
            doors.append((door, members))
    return doors


def _nearest_doors(nodes, vehicles, offset, starts, metres, minutes, reach) -> list[list[int]]:
    """Each run in turn goes on to the nearest door it may serve that fits its load, the
    door's window and the way back to the gate (node numbers of the model)."""
    left = set(range(len(nodes)))
    routes: list[list[int]] = []
    for v, trip in enumerate(vehicles):
        gate, here, t, kg, bags, route = starts[v], starts[v], trip.start, 0.0, 0, []
        while True:
            best = None
            for k in sorted(left, key=lambda k: metres[here][offset + k]):
                door, node = nodes[k], offset + k
                arrival = max(t + minutes[here][node], door.earliest)
                if (
                    arrival <= door.latest
                    and arrival + minutes[node][gate] <= trip.end
                    and kg + door.kg <= trip.carrier.kg + 1e-9
                    and bags + door.bags <= trip.carrier.bags
                    and trip.carrier.id in reach.allowed(door)
                ):
                    best, best_arrival = k, arrival
                    break
            if best is None:
                break
            left.discard(best)
            route.append(offset + best)
            here, t = offset + best, best_arrival
            kg, bags = kg + nodes[best].kg, bags + nodes[best].bags
        routes.append(route)
    return routes


def _routes_of(start, vehicles, doors, offset, walk) -> list[Route]:
    found = []
    for v, route in enumerate(start):
        order = [m for node in route for m in doors[node - offset][1]]
        if order:
            found.append(build_route(vehicles[v], order, walk))
    return found


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
