"""Build a form's table from plain rows: filter, sort, compute columns, group with
subtotals, add the totals row, and lay out the multi-level header with its merges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from .expressions import SERIAL, Row, compile_expression
from .model import DATASET_FIELDS, Condition, FormContext, FormTemplate


@dataclass(frozen=True)
class TableRow:
    kind: str  # data | subtotal | total
    cells: tuple[Any, ...]


@dataclass
class Table:
    """A form ready to render: every text filled in, every value computed."""

    template: FormTemplate
    title: str
    above: list[tuple[str, ...]]
    below: list[tuple[str, ...]]
    header: list[list[str | None]]  # one list per level; None: covered by a merge
    header_merges: list[tuple[int, int, int, int]]  # (row, col, last row, last col), 0-based
    rows: list[TableRow] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.template.columns)

    @property
    def data_rows(self) -> list[TableRow]:
        return [r for r in self.rows if r.kind == "data"]

    def leaf_headers(self) -> list[str]:
        """One name per column: the header levels joined, for csv."""
        return ["·".join(dict.fromkeys(c.header)) for c in self.template.columns]


def row_kept(row: Row, conditions: tuple[Condition, ...]) -> bool:
    """Whether a row passes every filter of a template."""
    return all(_keep(row, c) for c in conditions)


def _keep(row: Row, condition: Condition) -> bool:
    value = row.get(condition.field)
    if condition.not_empty and value in (None, "", [], ()):
        return False
    if condition.any_of is not None:
        values = value if isinstance(value, list | tuple | set) else [value]
        if not any(v in condition.any_of for v in values):
            return False
    return not (condition.has_equals and value != condition.equals)


def _sort_key(value: Any) -> tuple:
    # None sorts last; mixed types never compare each other.
    if value is None:
        return (2, "")
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, dt.date):
        return (0, value.toordinal())
    return (1, str(value))


def layout_header(template: FormTemplate) -> tuple[list[list[str | None]], list]:
    """Header grid and merges: a column with fewer levels spans down to the bottom; equal
    neighbouring labels with equal parents are merged across."""
    depth = template.header_depth
    cols = [list(c.header) + [c.header[-1]] * (depth - len(c.header)) for c in template.columns]
    short = [len(c.header) for c in template.columns]
    grid: list[list[str | None]] = [[None] * len(cols) for _ in range(depth)]
    merges: list[tuple[int, int, int, int]] = []
    for level in range(depth):
        c = 0
        while c < len(cols):
            if level >= short[c]:
                c += 1
                continue  # covered by the vertical merge above
            last = c
            while (
                last + 1 < len(cols)
                and level < short[last + 1] - 1
                and level < short[c] - 1  # leaves never merge across
                and cols[last + 1][: level + 1] == cols[c][: level + 1]
            ):
                last += 1
            bottom = depth - 1 if level == short[c] - 1 else level
            label = cols[c][level]
            unit = template.columns[c].unit
            grid[level][c] = f"{label}（{unit}）" if unit and level == short[c] - 1 else label
            if last > c or bottom > level:
                merges.append((level, c, bottom, last))
            c = last + 1
    return grid, merges


def build_table(template: FormTemplate, records: list[Row], context: FormContext) -> Table:
    """The form's table for ``records`` (plain dicts with the dataset's fields)."""
    fields = DATASET_FIELDS[template.dataset]
    evaluators = [
        None if c.value == SERIAL else compile_expression(c.value, fields) for c in template.columns
    ]
    kept = [r for r in records if row_kept(r, template.filters)]
    if template.sort:
        kept.sort(key=lambda r: tuple(_sort_key(r.get(f)) for f in template.sort))
    if template.group_by:
        # groups in the order they first appear once sorted (sort by a code to order them)
        first: dict[Any, int] = {}
        for r in kept:
            first.setdefault(r.get(template.group_by), len(first))
        kept.sort(key=lambda r: first[r.get(template.group_by)])

    def values(row: Row, serial: int) -> tuple[Any, ...]:
        out = []
        for column, evaluate in zip(template.columns, evaluators, strict=True):
            value = serial if evaluate is None else evaluate(row, context)
            if column.map is not None:
                value = column.map.get(value, value)
            if isinstance(value, list | tuple):
                value = "、".join(str(v) for v in value)
            out.append(value)
        return tuple(out)

    def summary(label: str, rows: list[TableRow]) -> tuple[Any, ...]:
        cells: list[Any] = []
        for i, column in enumerate(template.columns):
            if column.total == "sum":
                cells.append(sum(r.cells[i] or 0 for r in rows if _is_number(r.cells[i])))
            elif column.total == "count":
                cells.append(len(rows))
            else:
                cells.append(None)
        first_total = next(
            (i for i, c in enumerate(template.columns) if c.total != "none"), len(cells)
        )
        cells[0] = label
        for i in range(1, first_total):
            cells[i] = None
        return tuple(cells)

    table_rows: list[TableRow] = []
    serial = 0
    all_data: list[TableRow] = []
    if template.group_by:
        for group, members in groupby(kept, key=lambda r: r.get(template.group_by)):
            block = []
            for row in members:
                serial += 1
                block.append(TableRow("data", values(row, serial)))
            table_rows += block
            all_data += block
            label = template.subtotal.format(group="" if group is None else group)
            table_rows.append(TableRow("subtotal", summary(label, block)))
    else:
        for row in kept:
            serial += 1
            all_data.append(TableRow("data", values(row, serial)))
        table_rows = list(all_data)
    if template.totals is not None:
        table_rows.append(TableRow("total", summary(template.totals, all_data)))
    header, merges = layout_header(template)
    return Table(
        template=template,
        title=context.fill(template.title),
        above=[tuple(context.fill(t) for t in line) for line in template.above],
        below=[tuple(context.fill(t) for t in line) for line in template.below],
        header=header,
        header_merges=merges,
        rows=table_rows,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
