"""Scoped reads of deliveries: orders, a ward's orders, the board, pick lists, runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from linli.common.scope import access, scoped
from linli.places.models import Level, Place

from .models import Order, Run, RunStop


def orders_for(actor: Any) -> QuerySet[Order]:
    return scoped(Order, actor).select_related("place", "ward__resident", "household")


def access_order(actor: Any, pk: int) -> Order:
    return access(Order, actor, queryset=orders_for(actor), pk=pk)


def access_run(actor: Any, pk: int) -> Run:
    """A run inside the actor's scope; a volunteer reaches the runs open to them and their own."""
    run = access(Run, actor, queryset=Run.objects.select_related("gate", "carrier"), pk=pk)
    volunteer = getattr(actor, "volunteer", None)
    if actor.role == "volunteer" and not (
        run.carrier_id is None or (volunteer is not None and run.carrier_id == volunteer.pk)
    ):
        raise Http404
    return run


def access_stop(actor: Any, pk: int) -> RunStop:
    stop = RunStop.objects.select_related("run", "order").filter(pk=pk).first()
    if stop is None:
        raise Http404
    access_run(actor, stop.run_id)
    return stop


@dataclass(frozen=True)
class Board:
    community: Place
    counts: list[tuple[str, str, int]]  # status, its label, how many
    orders: list[Order]
    runs: list[Run]
    suppliers: list[str]


def board(actor: Any, community: Place) -> Board:
    """The secretary's board: how many orders in each state, the latest orders, today's runs."""
    orders = orders_for(actor).filter(place__code__startswith=community.code)
    counts = Counter(orders.values_list("status", flat=True))
    return Board(
        community,
        [(value, str(label), counts.get(value, 0)) for value, label in Order.Status.choices],
        list(orders.prefetch_related("lines__item__item")[:50]),
        list(
            scoped(Run, actor)
            .filter(community=community)
            .exclude(status=Run.Status.DONE)
            .select_related("gate", "carrier", "proposed")[:50]
        ),
        sorted(
            set(
                orders.filter(status=Order.Status.OPEN, source=Order.Source.SUPPLIER).values_list(
                    "supplier", flat=True
                )
            )
        ),
    )


@dataclass(frozen=True)
class PickGroup:
    gate: Place
    buildings: list[tuple[str, list[Order]]]


def pick_lists(actor: Any, community: Place) -> list[PickGroup]:
    """Packed and out orders by compound gate (the handover point) and building."""
    orders = list(
        orders_for(actor)
        .filter(
            place__code__startswith=community.code,
            status__in=[Order.Status.PACKED, Order.Status.OUT],
        )
        .prefetch_related("lines__item__item")
        .order_by("place__code", "pk")
    )
    gates = {
        p.code: p
        for p in Place.objects.filter(code__startswith=community.code, level=Level.COMPOUND)
    }
    groups: dict[str, dict[str, list[Order]]] = {}
    for order in orders:
        gate = order.place.code[:16] if order.place.code[:16] in gates else order.place.code
        groups.setdefault(gate, {}).setdefault(order.place.name, []).append(order)
    return [
        PickGroup(gates.get(code) or Place.objects.get(code=code), sorted(b.items()))
        for code, b in sorted(groups.items())
    ]


def ward_orders(ward: Any) -> list[Order]:
    return list(ward.orders.prefetch_related("lines__item__item")[:20])


def my_runs(actor: Any) -> tuple[list[Run], list[Run]]:
    """The volunteer's runs, and the open runs of their community they may take."""
    volunteer = getattr(actor, "volunteer", None)
    if volunteer is None:
        return [], []
    mine = list(
        Run.objects.filter(carrier=volunteer)
        .exclude(status=Run.Status.DONE)
        .select_related("gate")
        .prefetch_related("stops__order__place", "stops__order__lines__item__item")
    )
    from .services import may_enter

    open_runs = [
        run
        for run in scoped(Run, actor).filter(status=Run.Status.OPEN).select_related("gate")[:50]
        if not may_enter(volunteer, run)
    ]
    return mine, open_runs


def community_counts(community_code: str, day: Any) -> dict[str, int]:
    """Orders placed and delivered on ``day`` in a community (for the daily report)."""
    orders = Order.objects.filter(place__code__startswith=community_code)
    return {
        "placed": orders.filter(created_at__date=day).count(),
        "delivered": orders.filter(status=Order.Status.DELIVERED, closed_at__date=day).count(),
        "failed": orders.filter(status=Order.Status.FAILED, closed_at__date=day).count(),
        "open": orders.filter(
            status__in=[Order.Status.OPEN, Order.Status.PACKED, Order.Status.OUT]
        ).count(),
    }
