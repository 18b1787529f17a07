"""The router's input and output: frozen dataclasses with plain ids, times in minutes after
midnight, distances in whole metres, loads in kilograms and bags."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DAY = 24 * 60


class DeliveryError(ValueError):
    """An input the router cannot take; ``path`` names the field (``stops[3].kg``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Stop:
    """One order to hand over at a door. ``earliest``/``latest``: the window in which the
    carrier must arrive (medicine: latest 12:00). ``kind`` is a word for explanations
    (``medicine``), never anything personal."""

    id: Any
    compound: str
    x: float
    y: float
    kg: float = 1.0
    bags: int = 1
    earliest: int = 0
    latest: int = DAY
    service: int = 2
    kind: str = ""


@dataclass(frozen=True)
class Carrier:
    """A volunteer who carries runs. ``x``/``y``: the gate of their home compound, where the
    logistics group hands the goods over and where each run starts and ends. The fields
    ``compound``, ``passes`` and ``status`` are those the guardianship reach rule reads
    (:func:`linli.domain.matching.can_reach`)."""

    id: Any
    compound: str
    x: float
    y: float
    passes: frozenset[str] = frozenset()
    status: str = "active"
    kg: float = 15.0
    bags: int = 6
    start: int = 8 * 60
    end: int = 18 * 60


@dataclass(frozen=True)
class Params:
    """How the router walks and searches.

    ``trip_minutes``: a carrier's day is cut into back-to-back runs of this length (one load
    each, from the gate and back), so one person's runs never overlap. ``time_limit``: seconds
    for the whole problem, shared among its independent parts by size. ``solution_limit``
    stops the search after that many improving solutions instead (deterministic tests)."""

    time_limit: float = 5.0
    solution_limit: int | None = None
    trip_minutes: int = 60
    metres_per_minute: float = 60.0  # walking with bags, stairs included
    detour: float = 1.3  # paths around buildings, not straight lines
    max_trips: int | None = None


@dataclass(frozen=True)
class Problem:
    stops: tuple[Stop, ...]
    carriers: tuple[Carrier, ...]
    sealed: frozenset[str] = frozenset()
    params: Params = field(default_factory=Params)

    def __post_init__(self) -> None:
        check(self)


@dataclass(frozen=True)
class Visit:
    stop: Any
    arrival: int  # minutes after midnight


@dataclass(frozen=True)
class Route:
    """One run: a carrier's ``trip``-th load, from their gate through ``visits`` and back."""

    carrier: Any
    trip: int
    start: int
    end: int
    visits: tuple[Visit, ...]
    metres: int
    kg: float
    bags: int


@dataclass(frozen=True)
class Unmet:
    """An order no run carries. ``code``: ``no_carrier`` | ``too_heavy`` | ``window`` |
    ``full``; ``message`` says which rule and why, with the figures; ``figures`` holds them
    for a translated message."""

    stop: Any
    code: str
    message: str
    figures: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Solution:
    routes: tuple[Route, ...]
    unmet: tuple[Unmet, ...]
    metres: int
    seconds: float
    method: str  # "ortools" | "nearest-neighbour"

    @property
    def served(self) -> int:
        return sum(len(r.visits) for r in self.routes)


def _finite(value: Any, path: str, *, minimum: float | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DeliveryError(path, f"must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise DeliveryError(path, f"must be at least {minimum}, got {value!r}")


def _unique(ids: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise DeliveryError(f"{what}[{i}].id", f"{value!r} appears twice")
        seen.add(value)


def check(problem: Problem) -> None:
    """Every field in range, or a :class:`DeliveryError` naming the first that is not."""
    _unique((s.id for s in problem.stops), "stops")
    _unique((c.id for c in problem.carriers), "carriers")
    for i, s in enumerate(problem.stops):
        path = f"stops[{i}]"
        for name in ("x", "y"):
            _finite(getattr(s, name), f"{path}.{name}")
        _finite(s.kg, f"{path}.kg", minimum=0)
        _finite(s.bags, f"{path}.bags", minimum=0)
        _finite(s.service, f"{path}.service", minimum=0)
        if not (0 <= s.earliest <= s.latest <= DAY):
            raise DeliveryError(
                f"{path}.latest",
                f"the window {s.earliest}–{s.latest} must lie within the day and not end "
                "before it starts",
            )
    for i, c in enumerate(problem.carriers):
        path = f"carriers[{i}]"
        for name in ("x", "y"):
            _finite(getattr(c, name), f"{path}.{name}")
        _finite(c.kg, f"{path}.kg", minimum=0)
        _finite(c.bags, f"{path}.bags", minimum=0)
        if not (0 <= c.start < c.end <= DAY):
            raise DeliveryError(f"{path}.end", f"the day {c.start}–{c.end} is empty or too long")
    p = problem.params
    _finite(p.time_limit, "params.time_limit", minimum=0)
    _finite(p.trip_minutes, "params.trip_minutes", minimum=5)
    _finite(p.metres_per_minute, "params.metres_per_minute", minimum=1)
    _finite(p.detour, "params.detour", minimum=1)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
