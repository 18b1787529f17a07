"""The report of an import: counts, problems, the rejected rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from linli.domain.register_import import ParsedTable, RowError, write_rejected
from linli.domain.register_import.messages import MESSAGES

Progress = Callable[[int, int, str], None]


class ImportRefused(ValueError):
    """The import cannot start (wrong place, unreadable file); the message says why."""


def describe(error: RowError) -> str:
    """One problem in the current language: ``第 7 行 身份证号码: …``-style text without the row."""
    template = gettext(MESSAGES[error.code])
    message = template % error.params if error.params else template
    return f"{error.column}: {message}"


@dataclass
class ImportSummary:
    file_name: str
    source: str
    read: int = 0
    valid: int = 0
    rejected: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    missing_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    parsed: ParsedTable | None = None
    new_places: list[Any] = field(default_factory=list)  # NewPlace, in the order named
    created_places: list[str] = field(default_factory=list)  # codes of places created

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "valid": self.valid,
            "rejected": self.rejected,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def as_report(self, *, max_errors: int = 1000) -> dict[str, Any]:
        """A JSON-able report for the upload page (at most ``max_errors`` problems listed)."""
        return {
            **self.counts(),
            "committed": self.committed,
            "file_name": self.file_name,
            "source": self.source,
            "missing_columns": self.missing_columns,
            "ignored_columns": self.ignored_columns,
            "new_places": [
                {"key": p.key, "label": p.label, "rows": list(p.rows[:50]), "near": list(p.near)}
                for p in self.new_places
            ],
            "created_places": self.created_places,
            "error_count": len(self.errors),
            "errors": [
                {"row": e.row, "column": e.column, "code": e.code, "value": e.value, **e.params}
                for e in self.errors[:max_errors]
            ],
        }

    def rejected_xlsx(self) -> bytes:
        assert self.parsed is not None
        return write_rejected(self.parsed, describe=describe)
