"""Optimistic checks for writes made offline: a form carries the values it was built on
(``base__<field>``); when the record has changed since, the write is refused with 409 and
both sides, so the person chooses field by field instead of anything being overwritten."""

from __future__ import annotations

from collections.abc import Mapping


class Conflict(Exception):
    def __init__(self, fields: dict[str, dict[str, str]]):
        super().__init__("conflict")
        self.fields = fields


def check_base(
    base: Mapping[str, str | None],
    current: Mapping[str, str],
    mine: Mapping[str, str],
    *,
    labels: Mapping[str, str] | None = None,
    shown: Mapping[str, str] | None = None,
) -> None:
    """Raise Conflict when a field's value the form was built on (``base``) differs from the
    record now (``current``) and this write (``mine``) would set it to something else.

    A form without a base (an old page, a script-less post) is not checked. ``labels`` name
    the fields and ``shown`` maps a stored value to the words the reader sees.
    """
    labels, shown = labels or {}, shown or {}
    changed = {}
    for field, now in current.items():
        was = base.get(field)
        if was is None or was == now or mine.get(field) == now:
            continue
        value = mine.get(field, "")
        changed[field] = {
            "label": str(labels.get(field, field)),
            "base": was,
            "theirs": now,
            "mine": value,
            "theirs_text": str(shown.get(now, now)),
            "mine_text": str(shown.get(value, value)),
        }
    if changed:
        raise Conflict(changed)
