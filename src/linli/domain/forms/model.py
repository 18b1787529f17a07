"""A parsed form template and the fields each dataset offers, as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The fields each dataset offers to templates (the reports app fills them in).
DATASET_FIELDS: dict[str, frozenset[str]] = {
    "people": frozenset(
        {
            "name",
            "id_number",
            "sex",
            "birth_date",
            "phone",
            "address",
            "community",
            "community_code",
            "grid",
            "compound",
            "categories",
            "disability_type",
            "disability_grade",
            "quarantine_start",
            "quarantine_end",
            "risk",
            "needs",
            "has_carer",
            "has_guardian",
            "guardian_name",
            "guardian_phone",
            "backup_name",
            "backup_phone",
        }
    ),
    "communities": frozenset(
        {
            "code",
            "name",
            "street",
            "households",
            "residents",
            "wards",
            "guarded",
            "unguarded",
            "gaps",
            "volunteers_active",
            "volunteers_unavailable",
            "sealed_compounds",
            "disabled_no_carer",
            "elderly_alone",
            "left_behind_child",
            "de_facto_orphan",
            "subsistence",
            "chronic_medicine",
            "pregnant",
            "home_quarantine",
        }
    ),
    "volunteers": frozenset(
        {
            "name",
            "phone",
            "sex",
            "organisation",
            "status",
            "skills",
            "vetted",
            "community",
            "community_code",
            "compound",
            "primary_wards",
            "backup_wards",
            "shifts",
            "hours",
            "checkpoints",
        }
    ),
}


class TemplateError(ValueError):
    """A template that cannot be used; ``problems`` name the key and the line of each."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    key: str  # e.g. columns[2].value
    line: int | None  # 1-based line in the YAML file
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.key or 'template'}: {self.message}"


@dataclass(frozen=True)
class Column:
    header: tuple[str, ...]
    value: str
    map: dict[Any, Any] | None = None
    width: float | None = None
    format: str | None = None
    total: str = "none"  # sum | count | none
    hxl: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Condition:
    field: str
    any_of: tuple[Any, ...] | None = None
    equals: Any = None
    has_equals: bool = False
    not_empty: bool = False


@dataclass(frozen=True)
class FormTemplate:
    name: str
    title: str
    dataset: str
    columns: tuple[Column, ...]
    department: str = ""
    sheet: str = ""
    levels: tuple[str, ...] = ()
    full_id: bool = False
    period_days: int = 1
    filters: tuple[Condition, ...] = ()
    sort: tuple[str, ...] = ()
    group_by: str | None = None
    subtotal: str = "{group} 小计"
    totals: str | None = None
    above: tuple[tuple[str, ...], ...] = ()
    below: tuple[tuple[str, ...], ...] = ()

    @property
    def header_depth(self) -> int:
        return max(len(c.header) for c in self.columns)


@dataclass(frozen=True)
class FormContext:
    """What a template's placeholders and expressions see besides the rows."""

    place: str
    date: dt.date
    labels: dict[str, str] = field(default_factory=dict)
    full_id: bool = False

    def fill(self, text: str) -> str:
        """Fill {place} and {date} (and {date:%Y年%m月%d日}) in a title or a line."""
        return text.format(place=self.place, date=self.date)
