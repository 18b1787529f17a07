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
