"""Column expressions: a field name or a call of a few named functions, parsed with
:mod:`ast` (never evaluated as Python) and applied to one row at a time."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from typing import Any

from linli.domain.disclosure import mask_id_number

from .model import FormContext

Row = dict[str, Any]


def _age(ctx: FormContext, born: Any) -> int | None:
    if not isinstance(born, dt.date):
        return None
    today = ctx.date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _mask_id(ctx: FormContext, number: Any) -> str:
    if not number:
        return ""
    return str(number) if ctx.full_id else mask_id_number(str(number))


def _yes_no(ctx: FormContext, value: Any) -> str:
    return "是" if value else "否"


def _days_since(ctx: FormContext, day: Any) -> int | None:
    """Days from ``day`` to the report date, the first day counting as day 1."""
    if not isinstance(day, dt.date):
        return None
    return (ctx.date - day).days + 1


def _label(ctx: FormContext, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list | tuple):
        return "、".join(ctx.labels.get(str(v), str(v)) for v in value)
    return ctx.labels.get(str(value), str(value))


def _join(ctx: FormContext, value: Any, separator: Any = "、") -> str:
    if isinstance(value, list | tuple):
        return str(separator).join(str(v) for v in value)
    return "" if value is None else str(value)


def _has(ctx: FormContext, value: Any, item: Any) -> bool:
    return isinstance(value, list | tuple | set) and item in value


def _date(ctx: FormContext, value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ""


# name → (function, number of arguments it takes: min, max)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "age": (_age, 1, 1),
    "mask_id": (_mask_id, 1, 1),
    "yes_no": (_yes_no, 1, 1),
    "days_since": (_days_since, 1, 1),
    "label": (_label, 1, 1),
    "join": (_join, 1, 2),
    "has": (_has, 2, 2),
    "date": (_date, 1, 1),
}

SERIAL = "serial"

Evaluator = Callable[[Row, FormContext], Any]


class ExpressionError(ValueError):
    pass


def compile_expression(text: str, fields: frozenset[str]) -> Evaluator:
    """Turn ``text`` into a function of (row, context); ExpressionError says what is wrong."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ExpressionError(f"cannot read the expression {text!r}") from None
    return _compile(tree.body, fields)


def _compile(node: ast.AST, fields: frozenset[str]) -> Evaluator:
    if isinstance(node, ast.Name):
        name = node.id
        if name not in fields:
            raise ExpressionError(
                f"unknown field {name!r}; this dataset has: {', '.join(sorted(fields))}"
            )
        return lambda row, ctx: row.get(name)
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float):
        value = node.value
        return lambda row, ctx: value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name = node.func.id
        if name not in FUNCTIONS:
            raise ExpressionError(
                f"unknown function {name!r}; known: {', '.join(sorted(FUNCTIONS))}"
            )
        function, least, most = FUNCTIONS[name]
        if not least <= len(node.args) <= most:
            raise ExpressionError(f"{name}() takes {least}–{most} arguments, not {len(node.args)}")
        args = [_compile(arg, fields) for arg in node.args]
        return lambda row, ctx: function(ctx, *(arg(row, ctx) for arg in args))
    raise ExpressionError(
        "only a field name, a quoted text, a number or a call like age(birth_date) is allowed"
    )
