"""Fatigue from hours actually worked: who is over the limits and when they are rested.

Plain data in (worked spans with local datetimes), plain data out. A span is one
stretch at a post, from check-in to check-out or as confirmed by the lead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

HOURS_7D = "hours_7d"
HOURS_14D = "hours_14d"
LONG_RUN = "long_run"
REST_DEFICIT = "rest_deficit"
FLAGS = (HOURS_7D, HOURS_14D, LONG_RUN, REST_DEFICIT)


@dataclass(frozen=True)
class Span:
    person: str
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Limits:
    max_hours_7d: float = 48
    max_hours_14d: float = 88
    max_consecutive_days: int = 6
    min_rest_hours: float = 11
    min_consecutive_days_off: int = 1


@dataclass(frozen=True)
class Fatigue:
    person: str
    hours_7d: float
    hours_14d: float
    longest_run: int  # days worked in a row within the last 14 days
    current_run: int  # days worked in a row up to today or yesterday
    rest_deficit_hours: float  # rest missing below the minimum between spans, last 7 days
    flags: tuple[str, ...]
    rested_on: dt.date | None  # first day the person may be rostered again; None: not flagged


def _hours_within(spans: list[Span], start: dt.datetime, end: dt.datetime) -> float:
    total = 0.0
    for span in spans:
        overlap = min(span.end, end) - max(span.start, start)
        total += max(0.0, overlap.total_seconds() / 3600)
    return total


def _runs(days: set[dt.date]) -> list[tuple[dt.date, int]]:
    """Maximal runs of consecutive dates: (last date, length)."""
    runs = []
    for day in sorted(days):
        if runs and runs[-1][0] + dt.timedelta(days=1) == day:
            runs[-1] = (day, runs[-1][1] + 1)
        else:
            runs.append((day, 1))
    return runs


def assess(spans: Iterable[Span], *, now: dt.datetime, limits: Limits) -> list[Fatigue]:
    """Fatigue of every person with a span in the last 14 days, ordered by person."""
    by_person: dict[str, list[Span]] = defaultdict(list)
    since = now - dt.timedelta(days=14)
    for span in spans:
        if span.end <= span.start:
            raise ValueError(f"worked span of {span.person} ends before it starts ({span.start})")
        if span.end > since and span.start <= now:
            by_person[span.person].append(span)
    return [
        _assess_one(person, sorted(found, key=lambda s: s.start), now, limits)
        for person, found in sorted(by_person.items())
    ]


def _assess_one(person: str, spans: list[Span], now: dt.datetime, limits: Limits) -> Fatigue:
    today = now.date()
    hours_7d = _hours_within(spans, now - dt.timedelta(days=7), now)
    hours_14d = _hours_within(spans, now - dt.timedelta(days=14), now)
    worked = {s.start.date() for s in spans if s.start.date() > today - dt.timedelta(days=14)}
    runs = _runs(worked)
    longest = max((length for _, length in runs), default=0)
    last_day, last_run = runs[-1] if runs else (None, 0)
    current = last_run if last_day is not None and last_day >= today - dt.timedelta(days=1) else 0
    deficit = 0.0
    week_ago = now - dt.timedelta(days=7)
    for before, after in pairwise(spans):
        if after.start < week_ago:
            continue
        rest = (after.start - before.end).total_seconds() / 3600
        deficit += max(0.0, limits.min_rest_hours - rest)

    flags: list[str] = []
    rested: list[dt.date] = []
    tomorrow = today + dt.timedelta(days=1)
    if hours_7d > limits.max_hours_7d:
        flags.append(HOURS_7D)
        rested.append(_first_day_under(spans, tomorrow, 7, limits.max_hours_7d))
    if hours_14d > limits.max_hours_14d:
        flags.append(HOURS_14D)
        rested.append(_first_day_under(spans, tomorrow, 14, limits.max_hours_14d))
    if last_day is not None and current >= limits.max_consecutive_days:
        flags.append(LONG_RUN)
        rested.append(last_day + dt.timedelta(days=1 + max(1, limits.min_consecutive_days_off)))
    if deficit >= limits.min_rest_hours:
        back = spans[-1].end + dt.timedelta(hours=limits.min_rest_hours + deficit)
        if back > now:  # still owed rest
            flags.append(REST_DEFICIT)
            rested.append(back.date() + dt.timedelta(days=1))
    return Fatigue(
        person=person,
        hours_7d=round(hours_7d, 2),
        hours_14d=round(hours_14d, 2),
        longest_run=longest,
        current_run=current,
        rest_deficit_hours=round(deficit, 2),
        flags=tuple(flags),
        rested_on=max(max(rested), tomorrow) if rested else None,
    )


def _first_day_under(spans: list[Span], start: dt.date, window: int, limit: float) -> dt.date:
    """The first day from ``start`` on which the hours of the ``window`` days before it
    are within ``limit``, if the person works no more until then."""
    tz = spans[0].start.tzinfo
    day = start
    while True:
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz)
        if _hours_within(spans, midnight - dt.timedelta(days=window), midnight) <= limit:
            return day
        day += dt.timedelta(days=1)
