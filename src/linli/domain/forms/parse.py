"""Read a YAML template, check it against the schema and the dataset's fields, and return
a :class:`FormTemplate` — or raise :class:`TemplateError` naming each key and its line."""

from __future__ import annotations

from typing import Any

import jsonschema
import yaml

from linli.domain import safeyaml

from .expressions import SERIAL, ExpressionError, compile_expression
from .model import DATASET_FIELDS, Column, Condition, FormTemplate, Problem, TemplateError
from .schema import TEMPLATE_SCHEMA

Path = tuple[str | int, ...]


def key_name(path: Path) -> str:
    """("columns", 2, "value") → columns[2].value"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _lines(node: yaml.Node, path: Path, found: dict[Path, int]) -> None:
    found[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*path, str(key.value))
            _lines(value, child, found)
            found[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), found)


def _line_of(path: Path, lines: dict[Path, int]) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def parse_template(text: str | bytes) -> FormTemplate:
    """Parse and check a template; every problem found is reported at once."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TemplateError([Problem("", None, "the file is not UTF-8 text")]) from None
    try:
        data, node = safeyaml.compose(text)  # anchors, aliases and size refused first
    except safeyaml.YamlRefused as error:
        raise TemplateError([Problem("", error.line, error.reason)]) from None
    lines: dict[Path, int] = {}
    if node is not None:
        _lines(node, (), lines)
    if not isinstance(data, dict):
        raise TemplateError([Problem("", 1, "a template is a mapping of keys (name, title, …)")])

    validator = jsonschema.Draft202012Validator(TEMPLATE_SCHEMA)
    problems = [
        Problem(key_name(tuple(e.absolute_path)), _line_of(tuple(e.absolute_path), lines), _say(e))
        for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
    if problems:
        raise TemplateError(problems)
    return _build(data, lines)


def _say(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"unknown key: {error.message.split('(')[-1].rstrip(')')}"
    if error.validator == "oneOf":
        return f"expected a text or a list of texts, got {error.instance!r}"
    return error.message


def _build(data: dict[str, Any], lines: dict[Path, int]) -> FormTemplate:
    fields = DATASET_FIELDS[data["dataset"]]
    problems: list[Problem] = []

    def check_field(name: str, path: Path) -> None:
        if name not in fields:
            problems.append(
                Problem(
                    key_name(path),
                    _line_of(path, lines),
                    f"unknown field {name!r}; this dataset has: {', '.join(sorted(fields))}",
                )
            )

    columns = []
    for i, raw in enumerate(data["columns"]):
        header = raw["header"]
        header = (header,) if isinstance(header, str) else tuple(header)
        value = raw.get("value", "")
        if not value:
            problems.append(
                Problem(key_name(("columns", i)), _line_of(("columns", i), lines), "needs a value")
            )
        elif value != SERIAL:
            try:
                compile_expression(value, fields)
            except ExpressionError as error:
                path = ("columns", i, "value")
                problems.append(Problem(key_name(path), _line_of(path, lines), str(error)))
        columns.append(
            Column(
                header=header,
                value=value,
                map=raw.get("map"),
                width=raw.get("width"),
                format=raw.get("format"),
                total=raw.get("total", "none"),
                hxl=raw.get("hxl", ""),
                unit=raw.get("unit", ""),
            )
        )
    filters = []
    for i, raw in enumerate(data.get("filter", [])):
        check_field(raw["field"], ("filter", i, "field"))
        filters.append(
            Condition(
                field=raw["field"],
                any_of=tuple(raw["any_of"]) if "any_of" in raw else None,
                equals=raw.get("equals"),
                has_equals="equals" in raw,
                not_empty=bool(raw.get("not_empty", False)),
            )
        )
    for i, name in enumerate(data.get("sort", [])):
        check_field(name, ("sort", i))
    group = data.get("group_by")
    if group:
        check_field(group["field"], ("group_by", "field"))
    for key in ("title",):
        _check_placeholders(data[key], (key,), lines, problems)
    for key in ("above", "below"):
        for i, line in enumerate(data.get(key, [])):
            for text in [line] if isinstance(line, str) else line:
                _check_placeholders(text, (key, i), lines, problems)
    if problems:
        raise TemplateError(problems)

    def rows(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple((x,) if isinstance(x, str) else tuple(x) for x in data.get(key, []))

    totals = data.get("totals")
    return FormTemplate(
        name=data["name"],
        title=data["title"],
        dataset=data["dataset"],
        columns=tuple(columns),
        department=data.get("department", ""),
        sheet=data.get("sheet", "") or data["name"][:31],
        levels=tuple(data.get("levels", ())),
        full_id=bool(data.get("full_id", False)),
        period_days=int(data.get("period_days", 1)),
        filters=tuple(filters),
        sort=tuple(data.get("sort", ())),
        group_by=group["field"] if group else None,
        subtotal=(group or {}).get("subtotal", "{group} 小计"),
        totals=(totals.get("label", "合计") if totals is not None else None),
        above=rows("above"),
        below=rows("below"),
    )


def _check_placeholders(text: str, path: Path, lines: dict[Path, int], problems: list) -> None:
    import datetime as dt

    try:
        text.format(place="", date=dt.date(2020, 1, 1))
    except (KeyError, IndexError, ValueError) as error:
        problems.append(
            Problem(
                key_name(path),
                _line_of(path, lines),
                f"only {{place}} and {{date}} can be filled in ({error!s})",
            )
        )
