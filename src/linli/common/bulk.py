"""Fast inserts of many rows (big imports): one ``executemany`` per chunk.

Django's ``bulk_create`` prepares every value through each field and, on SQLite,
splits the rows into statements of at most 999 parameters; for 100,000 residents
that costs more than the rest of an import. :func:`insert_rows` adapts the few
kinds of values a row holds (text, numbers, dates, datetimes, JSON) once per column
and hands whole chunks to the driver. :func:`reserve_ids` gives the new rows their
primary keys up front, so related rows can be inserted the same way.

Both must run inside a transaction. Model ``save()``/signals are not called: the
caller writes the audit rows itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection, models

CHUNK = 5000
_NOT_PROVIDED = object()


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` unused primary keys for ``model``'s table.

    PostgreSQL draws them from the table's sequence; on SQLite the import's
    transaction holds the write lock (``BEGIN IMMEDIATE``), so the ids above the
    current maximum are free until it commits.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {quoted}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _adapter(field: models.Field) -> Callable[[Any], Any]:
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        encoder = field.encoder  # type: ignore[attr-defined]
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    return lambda value: value


def insert_rows(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows given as ``{attname: value}``; missing columns take the field default.

    The primary key is inserted when the rows carry it (see :func:`reserve_ids`).
    Returns the number of rows inserted.
    """
    rows = list(rows)
    if not rows:
        return 0
    pk = model._meta.pk.attname
    fields = [f for f in model._meta.concrete_fields if f.attname != pk or pk in rows[0]]
    defaults = [f.get_default() if f.has_default() or not f.null else None for f in fields]
    adapters = [_adapter(f) for f in fields]
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    spec = list(zip(names, defaults, adapters, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            params = [
                tuple(adapt(row.get(name, default)) for name, default, adapt in spec)
                for row in rows[start : start + CHUNK]
            ]
            cursor.executemany(sql, params)
    return len(rows)
