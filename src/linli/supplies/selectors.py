"""Scoped reads: stock with its forecast, the ledger, requests."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.common.scope import scoped
from linli.domain.supplies.forecast import DEFAULT_WINDOW_DAYS, Forecast, forecast

from .models import Balance, LedgerEntry


@dataclass(frozen=True)
class StockLine:
    balance: Balance
    forecast: Forecast


def ledger_sum(item_id: int, location_id: int) -> int:
    total = LedgerEntry.objects.filter(item_id=item_id, location_id=location_id).aggregate(
        s=Sum("quantity")
    )["s"]
    return total or 0


def stock_lines(balances, *, today: dt.date | None = None) -> list[StockLine]:
    """Each balance with its burn rate over the last week (issues only) and days of supply."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=DEFAULT_WINDOW_DAYS - 1)
    balances = list(balances.select_related("item", "location"))
    usage: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
    rows = (
        LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.ISSUE,
            location__in={b.location_id for b in balances},
            created_at__date__gte=first,
        )
        .annotate(day=TruncDate("created_at"))
        .values("item_id", "location_id", "day")
        .annotate(used=Sum("quantity"))
    )
    for row in rows:
        usage[(row["item_id"], row["location_id"])].append((row["day"], -row["used"]))
    return [
        StockLine(
            b,
            forecast(
                b.quantity,
                usage[(b.item_id, b.location_id)],
                today=today,
                low_days=b.item.low_days,
            ),
        )
        for b in balances
    ]


def stock_for(actor: Any, *, today: dt.date | None = None) -> list[StockLine]:
    return stock_lines(scoped(Balance, actor).order_by("location__name", "item__code"), today=today)


def proposed_allocation(source, item) -> tuple[int, list, Any]:
    """Pending requests for ``item`` in the source's community, with the fair allocation of the
    source's stock among them (weights and minimums from each requesting location)."""
    from linli.domain.supplies.allocation import Claim, allocate

    from .models import SupplyRequest

    balance = Balance.objects.filter(item=item, location=source).first()
    stock = balance.quantity if balance else 0
    requests = list(
        SupplyRequest.objects.filter(
            item=item,
            status=SupplyRequest.Status.PENDING,
            location__place__code__startswith=source.place.code,
        )
        .exclude(location=source)
        .select_related("location")
        .order_by("created_at", "pk")
    )
    claims = [
        Claim(r.pk, r.quantity, weight=max(1, r.location.weight), minimum=r.location.minimum)
        for r in requests
    ]
    return stock, requests, allocate(stock, claims)
