"""Data retention rules (PIPL minimisation): what is kept of a person once the purpose ends.

Plain data in, plain data out; the register's retention service applies them to rows.
"""

from __future__ import annotations

import datetime as dt

ANONYMISED = "[anonymised]"

# Resident fields that identify a person or tell their story: emptied on anonymisation.
# Sex, place, household link, moved-in/out dates and the birth *year* are kept, so the
# counts by age band and place that the daily reports and forms need still add up.
IDENTIFYING_RESIDENT_FIELDS = (
    "name",
    "name_pinyin",
    "id_number",
    "phone",
    "phone2",
    "address",
    "notes",
    "relation",
)


def cutoff(today: dt.date, days: int) -> dt.date:
    """Records whose purpose ended before this day are due; ``days`` must be positive."""
    if days < 1:
        raise ValueError(f"retention period must be at least 1 day (got {days})")
    return today - dt.timedelta(days=days)


def birth_year_only(birth_date: dt.date | None) -> dt.date | None:
    """Keep the year of birth, drop the day: 1 January of the same year."""
    return birth_date.replace(month=1, day=1) if birth_date else None


def scrub_changes(changes: dict | None) -> dict | None:
    """An audit entry's diff with every value replaced: who changed which field and when
    stays, what the values were goes."""
    if not changes:
        return changes
    return {field: [ANONYMISED, ANONYMISED] for field in changes}
