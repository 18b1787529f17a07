"""Build and render many tables of one template — a district and each of its communities —
on every core of the machine.

Forked worker processes inherit the inputs (templates hold compiled expressions, which do
not pickle) and send back only the file and its row count. Where forking is not possible
(a platform without fork, or a daemonic process such as a Celery prefork worker, which may
not have children) or not worth it (few tables), the tables are rendered one by one.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, NamedTuple

from linli.domain.disclosure import full_id_numbers_in

from .model import FormContext, FormTemplate
from .render import render
from .table import Table, build_table

MIN_PARALLEL = 16  # fewer tables than this are rendered in the calling process

# What the forked workers render: set just before the pool forks, cleared after.
_work: tuple[FormTemplate, Sequence[tuple[list[dict[str, Any]], FormContext]], str] | None = None


class Rendered(NamedTuple):
    content: bytes
    rows: int  # data rows
    full_ids: frozenset[str]  # every text of the file shaped like a full ID number


def id_shaped(table: Table) -> frozenset[str]:
    """Every full-ID-shaped text in what the file is made of: title, lines, headers and
    every cell (what the generation log and the reveal audit are computed from)."""
    texts = [table.title, *(t for line in (*table.above, *table.below) for t in line)]
    texts += [t for level in table.header for t in level if t]
    texts += [str(c) for row in table.rows for c in row.cells if isinstance(c, str | int)]
    found: set[str] = set()
    for text in texts:
        if len(text) >= 18:
            found |= full_id_numbers_in(text)
    return frozenset(found)


def render_one(
    template: FormTemplate, records: list[dict[str, Any]], context: FormContext, fmt: str
) -> Rendered:
    table = build_table(template, records, context)
    return Rendered(render(table, fmt), len(table.data_rows), id_shaped(table))


def _render_index(i: int) -> Rendered:
    assert _work is not None
    template, items, fmt = _work
    records, context = items[i]
    return render_one(template, records, context, fmt)


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def render_all(
    template: FormTemplate,
    items: Sequence[tuple[list[dict[str, Any]], FormContext]],
    fmt: str,
    *,
    workers: int | None = None,
) -> list[Rendered]:
    """The file, its data rows and the ID-shaped texts in it, for each (records, context),
    in order."""
    global _work
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < MIN_PARALLEL or not can_fork():
        return [render_one(template, records, context, fmt) for records, context in items]
    _work = (template, items, fmt)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            # The largest table (a district's own file holds every row of its communities)
            # goes to a worker of its own at once; the rest follow in chunks, so neither
            # waits behind the other and small files do not pay a task each.
            largest = max(range(len(items)), key=lambda i: len(items[i][0]))
            first = pool.submit(_render_index, largest)
            rest = [i for i in range(len(items)) if i != largest]
            chunk = max(1, len(rest) // (workers * 4))
            out = dict(zip(rest, pool.map(_render_index, rest, chunksize=chunk), strict=True))
            out[largest] = first.result()
            return [out[i] for i in range(len(items))]
    finally:
        _work = None
