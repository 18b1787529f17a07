"""The one crossing between the database and the delivery router: packed orders and the
volunteers of a community become :mod:`linli.domain.delivery` dataclasses, once."""

from __future__ import annotations

from dataclasses import dataclass

from linli.domain.delivery import Carrier, Params, Problem, Stop
from linli.domain.delivery.layout import synthetic_xy
from linli.guardianship.models import Volunteer, VolunteerStatus
from linli.places.models import Level, Place

from .models import Order

GATE_OFFSET = 40.0  # metres from a compound's centre to its gate when no checkpoint is known
BAG_KG = 5.0  # a bag holds about this much


@dataclass(frozen=True)
class Built:
    problem: Problem
    orders: dict[int, Order]
    gates: dict[str, Place]  # compound code → compound
    synthetic: bool  # some coordinates were made up (the register has none)


def build(community: Place, orders: list[Order], params: Params | None = None) -> Built:
    """The router's problem for ``orders`` (packed, of ``community``) and the community's
    volunteers. Buildings without coordinates get a stable made-up point near their compound
    (:func:`synthetic_xy`) and ``synthetic`` says so."""
    places = {
        p.code: p
        for p in Place.objects.filter(
            code__startswith=community.code, level__in=[Level.COMPOUND, Level.BUILDING]
        )
    }
    synthetic = False

    def compound_of(code: str) -> Place | None:
        for length in range(len(code), len(community.code), -1):
            place = places.get(code[:length])
            if place is not None and place.level == Level.COMPOUND:
                return place
        return None

    def centre(compound: Place) -> tuple[float, float]:
        nonlocal synthetic
        if compound.x is not None and compound.y is not None:
            return compound.x, compound.y
        synthetic = True
        return synthetic_xy(compound.code, (0.0, 0.0), radius=2000.0)

    def point(place: Place, compound: Place) -> tuple[float, float]:
        nonlocal synthetic
        if place.x is not None and place.y is not None:
            return place.x, place.y
        if place.pk == compound.pk:
            return centre(compound)
        synthetic = True
        return synthetic_xy(place.code, centre(compound))

    stops, by_id, gates = [], {}, {}
    for order in orders:
        compound = compound_of(order.place.code)
        if compound is None:
            continue  # an address above compound level: packed by hand, not routed
        gates[compound.code] = compound
        x, y = point(order.place, compound)
        kg = sum(line.kg for line in order.lines.all())
        medicine = any(line.item_id and line.item.kind == "medicine" for line in order.lines.all())
        stops.append(
            Stop(
                order.pk,
                compound.code,
                x,
                y,
                kg=round(kg, 2),
                bags=max(1, round(kg / BAG_KG + 0.49)),
                latest=order.due_by if order.due_by is not None else 24 * 60,
                kind="medicine" if medicine else "",
            )
        )
        by_id[order.pk] = order
    carriers = []
    for v in (
        Volunteer.objects.filter(
            place__code__startswith=community.code, status=VolunteerStatus.ACTIVE
        )
        .select_related("place")
        .prefetch_related("passes")
        .order_by("pk")
    ):
        compound = compound_of(v.place.code)
        if compound is None:
            continue
        cx, cy = centre(compound)
        carriers.append(
            Carrier(
                v.pk,
                compound.code,
                cx + GATE_OFFSET,
                cy,
                passes=frozenset(p.code for p in v.passes.all()),
                status=v.status,
            )
        )
    sealed = frozenset(code for code, p in places.items() if p.level == Level.COMPOUND and p.sealed)
    problem = Problem(tuple(stops), tuple(carriers), sealed, params or Params(time_limit=2.0))
    return Built(problem, by_id, gates, synthetic)
