"""Burn rate, days of supply and the run-out date of one item at one location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_WINDOW_DAYS = 7
DEFAULT_LOW_DAYS = 3


@dataclass(frozen=True)
class Forecast:
    on_hand: int
    burn_per_day: float  # mean quantity issued per day over the window
    days_of_supply: float | None  # None when nothing was issued in the window
    runs_out_on: dt.date | None
    low: bool  # days of supply below the threshold (or nothing left)


def forecast(
    on_hand: int,
    issues: Iterable[tuple[dt.date, int]],
    *,
    today: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    low_days: int = DEFAULT_LOW_DAYS,
) -> Forecast:
    """Burn rate = quantity issued in the last ``window_days`` days (today included) / window."""
    if window_days < 1:
        raise ValueError(f"window_days is {window_days}; it must be at least 1")
    first = today - dt.timedelta(days=window_days - 1)
    used = sum(q for day, q in issues if first <= day <= today)
    rate = used / window_days
    if rate <= 0:
        return Forecast(on_hand, 0.0, None, None, on_hand <= 0)
    days = on_hand / rate
    return Forecast(
        on_hand=on_hand,
        burn_per_day=rate,
        days_of_supply=days,
        runs_out_on=today + dt.timedelta(days=int(days)),
        low=days < low_days,
    )
