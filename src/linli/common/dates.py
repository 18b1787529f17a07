"""The one way a day or a moment typed by someone (a URL, a form field, an option) becomes a
date: ``YYYY-MM-DD`` between ``EARLIEST`` and ``LATEST``. Python's dates reach back to year 1,
so ``0001-01-01`` parsed, and the first "14 days before" raised OverflowError (a 500). Out of
range is now the same clear error as not a date; in a URL it is a 404 (the ``day`` converter).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


class DayError(ValueError):
    """Not a date Linli works with; the message says what was given and what is accepted."""


def _refuse(value: object) -> DayError:
    return DayError(
        _("“%(value)s” is not a date between %(first)s and %(last)s (YYYY-MM-DD)")
        % {"value": value, "first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
    )


def check_day(day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise _refuse(day.isoformat())
    return day


def parse_day(text: object) -> dt.date:
    """``text`` as a date within the range, else DayError."""
    if isinstance(text, dt.datetime):
        text = text.date()
    if isinstance(text, dt.date):
        return check_day(text)
    try:
        day = dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise _refuse(text) from None
    return check_day(day)


def parse_moment(text: str) -> dt.datetime:
    """``text`` as a date and time (ISO 8601) whose day is within the range, else DayError."""
    try:
        moment = dt.datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise _refuse(text) from None
    check_day(moment.date())
    return moment


class DayConverter:
    """``<day:day>`` in a URL: a date within the range, or the URL does not match (404)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        return parse_day(value)  # a ValueError here makes Django answer 404

    def to_url(self, value: dt.date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()
