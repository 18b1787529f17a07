"""Quarantine dates: the planned end, days left, and who is overdue for release."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEFAULT_DAYS = 14


def planned_end(start: dt.date, days: int = DEFAULT_DAYS) -> dt.date:
    """The last day of quarantine: ``days`` days counting the first (start + days − 1)."""
    if days < 1:
        raise ValueError("a quarantine lasts at least one day")
    return start + dt.timedelta(days=days - 1)


@dataclass(frozen=True)
class Countdown:
    day_number: int  # 1 on the first day
    days_left: int  # after today; 0 on the last day, negative once overdue
    overdue: bool  # past its planned end and not released

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def countdown(start: dt.date, end: dt.date, today: dt.date) -> Countdown:
    left = (end - today).days
    return Countdown(day_number=(today - start).days + 1, days_left=left, overdue=left < 0)
