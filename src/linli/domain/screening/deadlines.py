"""When each level's daily report is due, and whether it is late."""

from __future__ import annotations

import datetime as dt

LEVELS = ("community", "street", "district", "city")


def parse_time(text: str) -> dt.time:
    """``"10:00"`` → 10:00; a clear error naming the value otherwise."""
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"deadline “{text}” is not a time of day (HH:MM)") from None


def due_at(day: dt.date, deadline: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """The report for ``day`` is due at ``deadline`` on that same day, local time."""
    return dt.datetime.combine(day, deadline, tzinfo=tz)


def is_late(day: dt.date, deadline: dt.time, now: dt.datetime) -> bool:
    return now >= due_at(day, deadline, now.tzinfo or dt.UTC)
