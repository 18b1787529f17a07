"""Screenings on PostgreSQL are one table partitioned by day (``PARTITION BY RANGE (day)``):
one partition a day, created ahead by the daily ``screening.partitions`` job, and a default
partition that catches a record for a day that has none yet (a back-dated record, a clock
far off). Retention drops whole days instead of deleting 21 M rows a day, and the roll-up of
one day reads that day's partition only.

SQLite (the embedded default) keeps a plain table: every function here is a no-op there,
except :func:`purge_before`, which deletes the rows.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection, transaction

TABLE = "screening_screening"
DEFAULT = f"{TABLE}_default"
AHEAD = 7  # days of partitions made ahead of today
_NAME = re.compile(rf"^{TABLE}_p(\d{{8}})$")


def is_partitioned(using=connection) -> bool:
    if using.vendor != "postgresql":
        return False
    with using.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def partition_name(day: dt.date) -> str:
    return f"{TABLE}_p{day:%Y%m%d}"


def day_partitions(using=connection) -> dict[dt.date, str]:
    """The day partitions that exist, by day (the default partition is not among them)."""
    with using.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = {}
    for name in names:
        match = _NAME.match(name)
        if match:
            digits = match.group(1)
            found[dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))] = name
    return found


def ensure_partitions(first: dt.date, last: dt.date, using=connection) -> list[dt.date]:
    """Make the day partitions from ``first`` to ``last`` (inclusive) that are missing;
    returns the days made. Rows already caught by the default partition for such a day move
    into the new partition in the same transaction, so a partition can always be made."""
    if not is_partitioned(using):
        return []
    have = day_partitions(using)
    made = []
    day = first
    while day <= last:
        if day not in have:
            _make(day, using)
            made.append(day)
        day += dt.timedelta(days=1)
    return made


def _make(day: dt.date, using) -> None:
    name = using.ops.quote_name(partition_name(day))
    table, default = using.ops.quote_name(TABLE), using.ops.quote_name(DEFAULT)
    bounds = [day.isoformat(), (day + dt.timedelta(days=1)).isoformat()]
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        # Made outside the parent, filled from the default partition, then attached:
        # attaching checks that the default holds no row of that day any more, and adds the
        # parent's indexes, keys and foreign keys to the new partition.
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"WITH moved AS (DELETE FROM {default} WHERE day >= %s AND day < %s RETURNING *) "
            f"INSERT INTO {name} SELECT * FROM moved",
            bounds,
        )
        cursor.execute(
            f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", bounds
        )


def purge_before(cut: dt.date, using=connection) -> int:
    """Remove every screening of a day before ``cut``; returns how many rows went. On
    PostgreSQL whole day partitions are dropped (no row-by-row delete, no vacuum debt) and
    the few rows of such days caught by the default partition are deleted."""
    from .models import Screening

    if not is_partitioned(using):
        return Screening.objects.using(using.alias).filter(day__lt=cut).delete()[0]
    gone = 0
    with transaction.atomic(using=using.alias), using.cursor() as cursor:
        # A table with pending (deferred) foreign-key checks cannot be dropped: run them
        # now; Django's keys are all deferrable, initially deferred, as they are again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for day, name in sorted(day_partitions(using).items()):
            if day >= cut:
                continue
            quoted = using.ops.quote_name(name)
            cursor.execute(f"SELECT count(*) FROM {quoted}")
            gone += cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {quoted}")
        cursor.execute(f"DELETE FROM {using.ops.quote_name(DEFAULT)} WHERE day < %s", [cut])
        gone += cursor.rowcount
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return gone


def count_before(cut: dt.date) -> int:
    from .models import Screening

    return Screening.objects.filter(day__lt=cut).count()
