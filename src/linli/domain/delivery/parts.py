"""What the router and its peer share: who may carry what (the guardianship reach rule),
each carrier's runs, the walking matrix, the independent parts of a problem, and the
schedule of a route."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from linli.domain.matching import can_reach  # who may enter a sealed compound: one rule

from .layout import walking_metres
from .model import Carrier, Params, Problem, Stop


def may_carry(stop: Stop, carrier: Carrier, sealed: frozenset[str]) -> bool:
    """The guardianship reach rule, read for a door instead of a ward: an active volunteer,
    and inside the sealed compound or holding a pass for it."""
    return can_reach(
        stop.compound,
        home=carrier.compound,
        passes=carrier.passes,
        status=carrier.status,
        sealed=sealed,
    )


class Reach:
    """Who may enter each compound, asked of the rule once per compound and carrier."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._trips = [t for c in problem.carriers for t in trips(c, problem.params)]
        self._by_compound: dict[str, list[Trip]] = {}
        self._allowed: dict[str, frozenset] = {}

    def allowed(self, stop: Stop) -> frozenset:
        """Ids of the carriers who may enter the stop's compound."""
        found = self._allowed.get(stop.compound)
        if found is None:
            found = frozenset(
                c.id for c in self.problem.carriers if may_carry(stop, c, self.problem.sealed)
            )
            self._allowed[stop.compound] = found
        return found

    def trips(self, stop: Stop) -> list[Trip]:
        """Every run slot of a carrier who may enter the stop's compound."""
        found = self._by_compound.get(stop.compound)
        if found is None:
            allowed = self.allowed(stop)
            found = [t for t in self._trips if t.carrier.id in allowed]
            self._by_compound[stop.compound] = found
        return found

    def all_trips(self) -> list[Trip]:
        return list(self._trips)


@dataclass(frozen=True)
class Trip:
    """One run slot: a vehicle of the routing model."""

    carrier: Carrier
    number: int
    start: int
    end: int


def trips(carrier: Carrier, params: Params) -> list[Trip]:
    length = int(params.trip_minutes)
    count = max(1, (carrier.end - carrier.start) // length)
    if params.max_trips is not None:
        count = min(count, params.max_trips)
    return [
        Trip(
            carrier,
            k,
            carrier.start + k * length,
            min(carrier.end, carrier.start + (k + 1) * length),
        )
        for k in range(count)
    ]


@dataclass(frozen=True)
class Part:
    """Stops and the carriers who may carry any of them, independent of every other part."""

    stops: tuple[Stop, ...]
    carriers: tuple[Carrier, ...]


def parts(problem: Problem, stops: Sequence[Stop], reach: Reach) -> list[Part]:
    """Connected groups of compounds and carriers (a carrier links the compounds they may
    enter): sealed compounds with their own insiders fall apart into small problems."""
    by_compound: dict[str, list[Stop]] = {}
    for s in stops:
        by_compound.setdefault(s.compound, []).append(s)
    parent = {c: c for c in by_compound}

    def find(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    entered_by: dict[int, list[str]] = {}
    for i, carrier in enumerate(problem.carriers):
        entered = [c for c, group in by_compound.items() if carrier.id in reach.allowed(group[0])]
        entered_by[i] = entered
        for c in entered[1:]:
            parent[find(c)] = find(entered[0])
    groups: dict[str, tuple[list[Stop], list[Carrier]]] = {}
    for c, group in by_compound.items():
        groups.setdefault(find(c), ([], []))[0].extend(group)
    for i, carrier in enumerate(problem.carriers):
        if entered_by[i]:
            groups[find(entered_by[i][0])][1].append(carrier)
    return [Part(tuple(s), tuple(c)) for s, c in groups.values() if c]


class Walk:
    """Metres and minutes between points, for one problem's parameters."""

    def __init__(self, params: Params) -> None:
        self.detour = params.detour
        self.speed = params.metres_per_minute

    def metres(self, a: Stop | Carrier, b: Stop | Carrier) -> int:
        return walking_metres(a.x, a.y, b.x, b.y, self.detour)

    def minutes(self, metres: int) -> int:
        return math.ceil(metres / self.speed)


def schedule(
    trip: Trip, visits: Sequence[Stop], walk: Walk
) -> tuple[list[int], int, int, float, int]:
    """Earliest arrivals along a route from the trip's start, the time back at the gate, the
    metres walked, and the kg and bags carried. Waiting for a window's start is allowed."""
    here: Stop | Carrier = trip.carrier
    t, metres, arrivals = trip.start, 0, []
    service = 0
    for stop in visits:
        step = walk.metres(here, stop)
        t = max(t + service + walk.minutes(step), stop.earliest)
        arrivals.append(t)
        metres += step
        here, service = stop, stop.service
    back = walk.metres(here, trip.carrier)
    end = t + service + walk.minutes(back) if visits else trip.start
    metres += back if visits else 0
    return arrivals, end, metres, sum(s.kg for s in visits), sum(s.bags for s in visits)
