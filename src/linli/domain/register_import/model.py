"""Plain data: a cleaned record, a row's problems, the parsed table."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields
from functools import cached_property

from .messages import MESSAGES


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row number, column header as written, code, the value."""

    row: int
    column: str
    code: str
    value: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English message (the app translates :data:`MESSAGES` itself)."""
        return MESSAGES[self.code] % self.params if self.params else MESSAGES[self.code]


@dataclass(frozen=True)
class CleanRecord:
    """One resident line, cleaned and validated. Empty string / None / () = not given."""

    name: str
    id_number: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    phones: tuple[str, ...] = ()
    compound: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    address: str = ""
    head: str = ""
    relation: str = ""
    categories: tuple[str, ...] = ()
    disability_type: str = ""
    disability_grade: int | None = None
    risk: str = ""
    needs: tuple[str, ...] = ()
    moved_in: dt.date | None = None
    moved_out: dt.date | None = None
    notes: str = ""

    @cached_property
    def key(self) -> str:
        """Identifies this person's line within one source across re-imports."""
        if self.id_number:
            return "id:" + self.id_number
        basis = "|".join(
            [self.name, str(self.birth_date or ""), self.phones[0] if self.phones else ""]
        )
        return "nm:" + hashlib.sha1(basis.encode()).hexdigest()[:40]

    @cached_property
    def digest(self) -> str:
        """A hash of every cleaned value: equal digests mean nothing changed."""
        values = tuple(getattr(self, name) for name in _RECORD_FIELDS)
        return hashlib.sha1(repr(values).encode()).hexdigest()


_RECORD_FIELDS = tuple(f.name for f in fields(CleanRecord))


@dataclass(frozen=True)
class RowResult:
    row: int  # spreadsheet row number, as the user sees it (1-based)
    raw: tuple[str, ...]  # the cells as given, one per column of the header
    record: CleanRecord | None
    errors: tuple[RowError, ...] = ()

    @property
    def valid(self) -> bool:
        return self.record is not None and not self.errors


@dataclass
class ParsedTable:
    headers: list[str]  # the header of each column as written (merged cells filled in)
    fields: dict[int, str]  # column index → field name, for recognised columns
    ignored: list[str]  # headers not recognised (kept in the raw fields, not imported)
    header_row: int
    rows: list[RowResult]
    missing: list[str] = field(default_factory=list)  # required fields with no column

    @property
    def valid(self) -> list[RowResult]:
        return [r for r in self.rows if r.valid]

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.rows if not r.valid]

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    def raw_fields(self, row: RowResult) -> dict[str, str]:
        """The row as the list gave it: header → value, for the source record."""
        return {h: v for h, v in zip(self.headers, row.raw, strict=False) if h and v}
