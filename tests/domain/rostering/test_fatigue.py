"""Fatigue from worked spans: hours in 7/14 days, runs without a day off, rest deficit."""

import datetime as dt

from linli.domain.rostering.fatigue import (
    HOURS_7D,
    LONG_RUN,
    REST_DEFICIT,
    Limits,
    Span,
    assess,
)

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 15, 20, 0, tzinfo=TZ)  # a Sunday evening


def shift(day: int, start: int, hours: int, person: str = "a") -> Span:
    begin = dt.datetime(2026, 3, day, start, 0, tzinfo=TZ)
    return Span(person, begin, begin + dt.timedelta(hours=hours))


def test_a_rested_volunteer_is_not_flagged():
    spans = [shift(d, 8, 8) for d in (9, 10, 12, 13)]
    (row,) = assess(spans, now=NOW, limits=Limits())
    assert row.hours_7d == 32 and row.hours_14d == 32
    assert row.longest_run == 2 and row.current_run == 0
    assert row.flags == () and row.rested_on is None


def test_too_many_hours_in_a_week_flags_until_the_window_drops_under():
    spans = [shift(d, 8, 10) for d in (9, 10, 11, 13, 14, 15)]  # 60 h, runs of 3
    (row,) = assess(spans, now=NOW, limits=Limits(max_hours_7d=48))
    assert row.hours_7d == 60
    assert row.flags == (HOURS_7D,)
    # 60 h until the 9th leaves the window: the window before 17 March holds 50 h,
    # before 18 March 40 h.
    assert row.rested_on == dt.date(2026, 3, 18)


def test_a_run_of_days_without_a_day_off_is_flagged_and_rests_after_days_off():
    spans = [shift(d, 8, 4) for d in range(9, 16)]  # 7 days in a row up to today
    (row,) = assess(
        spans, now=NOW, limits=Limits(max_consecutive_days=6, min_consecutive_days_off=2)
    )
    assert row.longest_run == 7 and row.current_run == 7
    assert LONG_RUN in row.flags
    assert row.rested_on == dt.date(2026, 3, 18)  # two days off: 16th and 17th


def test_short_rests_add_up_to_a_rest_deficit():
    # nights ending 08:00 followed by a shift at 14:00: 6 h rest, 5 h short each time
    spans = [shift(12, 0, 8), shift(12, 14, 8), shift(13, 0, 8), shift(13, 14, 8)]
    (row,) = assess(spans, now=dt.datetime(2026, 3, 13, 23, 0, tzinfo=TZ), limits=Limits())
    assert row.rest_deficit_hours == 5 + 9 + 5  # 6 h, 2 h (22:00 → 00:00) and 6 h of rest
    assert REST_DEFICIT in row.flags
    assert row.rested_on is not None and row.rested_on > dt.date(2026, 3, 13)


def test_spans_older_than_two_weeks_do_not_count_and_people_are_kept_apart():
    spans = [shift(1, 8, 12, "old"), shift(14, 8, 8, "b"), shift(14, 8, 8, "a")]
    rows = assess(spans, now=NOW, limits=Limits())
    assert [r.person for r in rows] == ["a", "b"]
    assert all(r.hours_7d == 8 for r in rows)
