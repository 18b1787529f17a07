"""Why an order cannot be carried, in words a logistics lead can act on."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Problem, Stop, Unmet, clock
from .parts import Reach, Walk


def _round(kg: float) -> float:
    return round(float(kg), 1)


def screen(problem: Problem, stop: Stop, reach: Reach, walk: Walk) -> Unmet | None:
    """The reason no run at all could carry ``stop`` alone, or None when one could."""
    sealed = stop.compound in problem.sealed
    mine = reach.trips(stop)
    if not mine:
        if sealed:
            message = (
                f"compound {stop.compound} is sealed and no active volunteer lives inside it "
                "or holds a pass for it"
            )
        else:
            message = "no active volunteer can carry deliveries"
        return Unmet(stop.id, "no_carrier", message, (("compound", stop.compound),))
    most_kg = max(t.carrier.kg for t in mine)
    most_bags = max(t.carrier.bags for t in mine)
    if stop.kg > most_kg or stop.bags > most_bags:
        return Unmet(
            stop.id,
            "too_heavy",
            f"it weighs {_round(stop.kg)} kg in {stop.bags} bags; the most a volunteer who "
            f"may enter carries in one run is {_round(most_kg)} kg or {most_bags} bags: "
            "split the order",
            (
                ("kg", _round(stop.kg)),
                ("bags", stop.bags),
                ("most_kg", _round(most_kg)),
                ("most_bags", most_bags),
            ),
        )
    best: int | None = None
    for t in mine:
        there = walk.minutes(walk.metres(t.carrier, stop))
        arrival = max(t.start + there, stop.earliest)
        back = arrival + stop.service + there
        if arrival <= stop.latest and back <= t.end:
            return None
        if best is None or arrival < best:
            best = arrival
    first = min(t.start for t in mine)
    assert best is not None
    return Unmet(
        stop.id,
        "window",
        f"it must arrive between {clock(stop.earliest)} and {clock(stop.latest)}; the earliest "
        f"a volunteer who may enter can be there and back within a run is {clock(best)} "
        f"(runs from {clock(first)})",
        (
            ("earliest", clock(stop.earliest)),
            ("latest", clock(stop.latest)),
            ("possible", clock(best)),
            ("first", clock(first)),
        ),
    )


def crowded(stop: Stop, stops: Sequence[Stop], reach: Reach) -> Unmet:
    """The reason for an order the search left out although a run could carry it alone:
    the runs that may carry it before its deadline are full of other orders (``stops``: the
    orders competing for the same carriers)."""
    mine = [t for t in reach.trips(stop) if t.start < stop.latest]
    ids = {t.carrier.id for t in mine}
    carriers = len(ids)
    room = _round(sum(t.carrier.kg for t in mine))
    due = _round(sum(s.kg for s in stops if s.latest <= stop.latest and reach.allowed(s) & ids))
    return Unmet(
        stop.id,
        "full",
        f"the {carriers} volunteers who may enter have {len(mine)} runs ({room} kg) starting "
        f"before {clock(stop.latest)}, and the orders due by then that they may carry weigh "
        f"{due} kg with the walking between them: add a volunteer or a pass, or move the "
        "deadline",
        (
            ("carriers", carriers),
            ("runs", len(mine)),
            ("room_kg", room),
            ("latest", clock(stop.latest)),
            ("due_kg", due),
        ),
    )
