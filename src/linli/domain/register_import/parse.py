"""Parse a table of cells into cleaned records and row-by-row problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from linli.domain import idcard
from linli.domain.vocabulary import Vocabularies, is_footer

from . import clean
from .clean import CellError
from .headers import REQUIRED, find_header, map_columns
from .model import CleanRecord, ParsedTable, RowError, RowResult
from .read import Table

HEADER_SCAN = 20  # header rows are looked for among the first rows
PROGRESS_EVERY = 2000
LIMITS = {"name": 64, "compound": 100, "building": 32, "unit": 16, "room": 16}
LIMITS |= {"address": 200, "head": 64, "relation": 16, "notes": 1000}

Progress = Callable[[int, int | None], None]


def parse_table(
    table: Table,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    vocabularies: Vocabularies | None = None,
) -> ParsedTable:
    """Find the header, then clean every data row; problems are collected, never raised.

    ``vocabularies``: the words of the deployment (built-ins plus the administrator's own);
    footer lines (填报人, 审核人, 联系电话, signatures, totals) are skipped, not data."""
    words = vocabularies or Vocabularies()
    today = today or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    head = list(islice(table.rows, HEADER_SCAN))
    header_index, headers = find_header(head)
    if header_index < 0:
        return ParsedTable(
            headers=[], fields={}, ignored=[], header_row=0, rows=[], missing=["name"]
        )
    headers = _fill_second_phone(headers)
    fields, ignored = map_columns(headers)
    missing = [f for f in REQUIRED if f not in fields.values()]
    parsed = ParsedTable(headers, fields, ignored, header_index + 1, [], missing)
    if missing:
        return parsed
    seen_ids: dict[str, int] = {}
    header_texts = [clean.text(h) for h in headers]
    rows = [*head[header_index + 1 :]]
    number = header_index + 1
    for cells in _chain(rows, table.rows):
        number += 1
        texts = [clean.text(c) for c in cells]
        if not any(texts) or texts[: len(header_texts)] == header_texts:
            continue  # blank rows and headers repeated on every printed page
        if is_footer(texts):
            continue
        parsed.rows.append(
            _parse_row(number, cells, texts, fields, headers, seen_ids, today, words)
        )
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, table.total)
    if progress:
        progress(number, number)
    return parsed


def _chain(first: list[list[Any]], rest: Any) -> Any:
    yield from first
    yield from rest


def _fill_second_phone(headers: list[str]) -> list[str]:
    """A phone header merged over two columns leaves the second one blank."""
    out = list(headers)
    for i in range(1, len(out)):
        if not out[i] and out[i - 1] and clean_field(out[i - 1]) == "phone":
            out[i] = out[i - 1]
    return out


def clean_field(header: str) -> str | None:
    from .headers import field_for

    return field_for(header)


def _parse_row(
    number: int,
    cells: list[Any],
    texts: list[str],
    fields: dict[int, str],
    headers: list[str],
    seen_ids: dict[str, int],
    today: dt.date,
    words: Vocabularies,
) -> RowResult:
    width = len(headers)
    raw = tuple((texts + [""] * width)[:width])
    errors: list[RowError] = []
    columns: dict[str, int] = {f: i for i, f in fields.items()}
    values: dict[str, Any] = {}

    def cell(field: str) -> tuple[Any, str]:
        index = columns.get(field)
        if index is None or index >= len(cells):
            return None, ""
        return cells[index], texts[index]

    def fail(field: str, error: CellError, value: str) -> None:
        errors.append(RowError(number, headers[columns[field]], error.code, value, error.params))

    for field in ("name", "compound", "building", "unit", "room", "address", "head"):
        _, value = cell(field)
        if field == "name":
            value = clean.name(value)
            if not value:
                fail(field, CellError("required"), value)
                continue
        try:
            values[field] = clean.limited(value, LIMITS[field])
        except CellError as error:
            fail(field, error, value)
    for field in ("relation", "notes"):
        _, value = cell(field)
        try:
            values[field] = clean.limited(value, LIMITS[field])
        except CellError as error:
            fail(field, error, value)
    if values.get("relation"):
        values["relation"] = clean.relation(values["relation"], words.relation)
    values["unit"] = _unit(values.get("unit", ""))
    values["room"] = _room(values.get("room", ""))

    parsed_id = _id_number(cell, fail, seen_ids, number)
    if parsed_id:
        values["id_number"] = parsed_id.number
    _sex_and_birth(cell, fail, parsed_id, values, today)
    _phones(cell, fail, values)
    _simple(cell, fail, values, today, words)
    _disability(cell, fail, values, words)
    if errors:
        return RowResult(number, raw, None, tuple(errors))
    return RowResult(number, raw, CleanRecord(**values))


def _id_number(cell, fail, seen_ids: dict[str, int], number: int) -> idcard.IdNumber | None:
    value, shown = cell("id_number")
    if not shown:
        return None
    try:
        parsed = clean.id_number(value)
    except CellError as error:
        fail("id_number", error, shown)
        return None
    first = seen_ids.setdefault(parsed.number, number)
    if first != number:
        fail("id_number", CellError("id_duplicate", row=first), shown)
        return None
    return parsed


def _sex_and_birth(cell, fail, parsed_id, values: dict[str, Any], today: dt.date) -> None:
    _, shown = cell("sex")
    sex = ""
    if shown:
        try:
            sex = clean.sex(shown)
        except CellError as error:
            fail("sex", error, shown)
    if parsed_id and sex and sex != parsed_id.sex:
        fail(
            "sex", CellError("sex_mismatch", expected="男" if parsed_id.sex == "M" else "女"), shown
        )
    values["sex"] = parsed_id.sex if parsed_id else sex
    raw, shown = cell("birth_date")
    birth: dt.date | None = None
    if shown:
        try:
            birth, full = clean.date(raw, today=today)
        except CellError as error:
            fail("birth_date", error, shown)
        else:
            if parsed_id:
                given = birth if full else birth.replace(day=1)
                expected = parsed_id.birth_date if full else parsed_id.birth_date.replace(day=1)
                if given != expected:
                    shown_expected = (
                        parsed_id.birth_date.isoformat()
                        if full
                        else parsed_id.birth_date.strftime("%Y-%m")
                    )
                    fail("birth_date", CellError("birth_mismatch", expected=shown_expected), shown)
            elif not full:
                birth = None  # a month alone is not a birth date; kept in the source fields
    values["birth_date"] = parsed_id.birth_date if parsed_id else birth


def _phones(cell, fail, values: dict[str, Any]) -> None:
    found: list[str] = []
    for field in ("phone", "phone2"):
        raw, shown = cell(field)
        if not shown:
            continue
        try:
            found.extend(clean.phones(raw))
        except CellError as error:
            fail(field, error, shown)
    if len(found) > 2:
        fail("phone", CellError("phone_too_many"), ", ".join(found))
    values["phones"] = tuple(dict.fromkeys(found))[:2]


def _simple(cell, fail, values: dict[str, Any], today: dt.date, words: Vocabularies) -> None:
    for field, parse in (
        ("category", lambda v: clean.categories(v, words.category)),
        ("risk", clean.risk),
        ("needs", lambda v: clean.needs(v, words.needs)),
    ):
        _, shown = cell(field)
        if shown:
            try:
                values["categories" if field == "category" else field] = parse(shown)
            except CellError as error:
                fail(field, error, shown)
    for field in ("moved_in", "moved_out"):
        raw, shown = cell(field)
        if shown:
            try:
                values[field] = clean.date(raw, today=today)[0]
            except CellError as error:
                fail(field, error, shown)
    moved_in, moved_out = values.get("moved_in"), values.get("moved_out")
    if moved_in and moved_out and moved_out < moved_in:
        _, shown = cell("moved_out")
        fail("moved_out", CellError("moved_out_before_in"), shown)


def _disability(cell, fail, values: dict[str, Any], words: Vocabularies) -> None:
    kind, grade = "", None
    _, shown = cell("disability")
    if shown:
        try:
            kind, grade = clean.disability(shown, words.disability_type)
        except CellError as error:
            fail("disability", error, shown)
    _, shown = cell("disability_type")
    if shown:
        try:
            kind = clean.disability_type(shown, words.disability_type)
        except CellError as error:
            fail("disability_type", error, shown)
    _, shown = cell("disability_grade")
    if shown:
        try:
            grade = clean.disability_grade(shown)
        except CellError as error:
            fail("disability_grade", error, shown)
    if kind or grade:
        values["disability_type"], values["disability_grade"] = kind, grade
        categories = values.get("categories", ())
        if "disabled_no_carer" not in categories:
            # A disabled persons' federation list often has no category column.
            values["categories"] = (*categories, "disabled_no_carer")


def _unit(value: str) -> str:
    """``2`` / ``2单元`` / ``二单元`` → ``2单元``."""
    match = re.fullmatch(r"(\d+)\s*(单元)?", value)
    return f"{int(match.group(1))}单元" if match else value


def _room(value: str) -> str:
    """``101室`` / ``101号`` → ``101``."""
    return re.sub(r"\s*(室|号|房)$", "", value)
