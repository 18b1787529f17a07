"""Fast inserts of many rows (big imports): ``COPY`` on PostgreSQL, one
``executemany`` per chunk on SQLite.

Django's ``bulk_create`` prepares every value through each field and, on SQLite,
splits the rows into statements of at most 999 parameters; for 100,000 residents
that costs more than the rest of an import. :func:`insert_rows` adapts the few
kinds of values a row holds (text, numbers, dates, datetimes, JSON) once per column
and hands whole chunks to the driver. :func:`reserve_ids` gives the new rows their
primary keys up front, so related rows can be inserted the same way.

:func:`insert_rows` and :func:`reserve_ids` must run inside a transaction;
:func:`insert_new_rows` (rows keyed by a unique column, for idempotent ingest) is atomic
on its own. Model ``save()``/signals are not called: the caller writes the audit rows
itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from pydantic_core import to_json

CHUNK = 5000
COPY_FROM = 50  # rows: below this a plain INSERT is quicker than COPY into a scratch table
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


def _default(field: models.Field) -> Any:
    """What a row without a value for ``field`` stores: the field's default, or now for a
    time stamped on creation (``auto_now_add``/``auto_now``)."""
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return timezone.now() if isinstance(field, models.DateTimeField) else timezone.localdate()
    return field.get_default() if field.has_default() or not field.null else None


def _adapter(field: models.Field, copy: bool, ops: Any) -> Callable[[Any], Any] | None:
    """How ``field``'s values are handed to the driver; None when they go as they are."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        encoder = field.encoder  # type: ignore[attr-defined]
        if copy and encoder is None:
            # COPY reads a JSON column from its text. pydantic's encoder (a dependency
            # already) writes a short list six times faster than json.dumps, which sets up
            # a new encoder on every call.
            return lambda value: None if value is None else to_json(value).decode()
        if copy:
            encode = encoder().encode
            return lambda value: None if value is None else encode(value)
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    return None


def _values(
    fields: list[models.Field], *, copy: bool = False
) -> Callable[[Mapping[str, Any]], list[Any]]:
    """Turns a row ``{attname: value}`` into its values in ``fields`` order, adapted; a
    missing column takes the field's default (taken once per call)."""
    take, adapted = _plan(tuple(fields), copy, connection.ops)
    defaults: dict[str, Any] = {}

    def values(row: Mapping[str, Any]) -> list[Any]:
        try:
            out = list(take(row))  # one C call for a complete row, the batch API's case
        except KeyError:
            if not defaults:
                defaults.update((f.attname, _default(f)) for f in fields)
            out = list(take({**defaults, **row}))
        for i, adapt in adapted:
            out[i] = adapt(out[i])
        return out

    return values


@lru_cache(maxsize=64)  # per connection (its ops): made once, not on every request
def _plan(fields: tuple[models.Field, ...], copy: bool, ops: Any) -> tuple[Callable, list]:
    adapted = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f, copy, ops)) is not None]
    names = [f.attname for f in fields]
    take = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    return take, adapted


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
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk path: several times faster than row-by-row INSERTs.
        values = _values(fields, copy=True)
        copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(values(row))
        return len(rows)
    values = _values(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, [values(row) for row in rows[start : start + CHUNK]])
    return len(rows)


def insert_new_rows(
    model: type[models.Model],
    rows: list[Mapping[str, Any]],
    *,
    key: str,
    unique: Sequence[str] = (),
) -> dict[Any, int]:
    """Insert the rows whose ``key`` (a unique column, or the first of the ``unique``
    columns that are unique together) is not in the table yet, in one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING`` per chunk; returns ``{key: new id}`` of the
    rows this call inserted. A row already there — or inserted at the same moment by another
    request sending the same key — is skipped, never duplicated, and never aborts the rest.
    All rows are inserted or none: in one statement, or in one transaction of its own (a
    savepoint inside the caller's).
    """
    if not rows:
        return {}
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    key_column = quote(model._meta.get_field(key).column)
    conflict = ", ".join(quote(model._meta.get_field(f).column) for f in unique or [key])
    table = quote(model._meta.db_table)
    placeholder = f"({', '.join(['%s'] * len(fields))})"
    # SQLite allows 32,766 parameters per statement; PostgreSQL 65,535.
    per_chunk = max(1, min(1000, 32000 // len(fields)))
    inserted: dict[Any, int] = {}
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        with transaction.atomic():
            return _copy_new_rows(
                model, rows, _values(fields, copy=True), columns, key_column, conflict
            )
    values = _values(fields)
    # One statement is atomic on its own: a one-record request makes a single round trip,
    # without BEGIN and COMMIT. Several chunks share a transaction.
    atomic = transaction.atomic() if len(rows) > per_chunk else nullcontext()
    with atomic, connection.cursor() as cursor:
        for start in range(0, len(rows), per_chunk):
            chunk = rows[start : start + per_chunk]
            params: list[Any] = []
            for row in chunk:
                params.extend(values(row))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "
                f"{', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {key_column}, {quote(pk.column)}",
                params,
            )
            inserted.update(cursor.fetchall())
    return inserted


def _copy_new_rows(
    model, rows, values, columns: str, key_column: str, conflict: str
) -> dict[Any, int]:
    """PostgreSQL: COPY into a scratch table, then one ``INSERT … SELECT … ON CONFLICT``,
    several times faster than a statement of thousands of parameters. The scratch table is
    kept by the connection and emptied at each commit (and before each use)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    scratch = quote(f"_new_{model._meta.db_table}")
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        # Made in the caller's transaction, so a rollback takes it away again: ask each time
        # (both statements in one round trip).
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {scratch} ON COMMIT DELETE ROWS AS "
            f"SELECT {columns} FROM {table} WITH NO DATA; DELETE FROM {scratch}"
        )
        with cursor.copy(f"COPY {scratch} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch} "
            f"ON CONFLICT ({conflict}) DO NOTHING "
            f"RETURNING {key_column}, {quote(model._meta.pk.column)}"
        )
        return dict(cursor.fetchall())
