"""Plain data for record linkage: records in columns, candidate pairs with their evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

FIELDS = ("name", "id_number", "birth", "sex", "phone", "address", "source")


@dataclass(frozen=True)
class Records:
    """Registrations in columns (one list per field, all the same length).

    ``key`` holds the caller's ids; every other field is text and may be empty:
    ``birth`` as ``YYYY-MM-DD`` or ``YYYYMMDD``, ``sex`` ``M``/``F``. No field is
    required: a record without an ID number is linked on the others.
    """

    key: list
    name: list[str]
    id_number: list[str]
    birth: list[str]
    sex: list[str]
    phone: list[str]
    address: list[str]
    source: list[str]

    def __post_init__(self) -> None:
        n = len(self.key)
        for name in FIELDS:
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"records: field {name!r} has {len(getattr(self, name))} values, key has {n}"
                )

    def __len__(self) -> int:
        return len(self.key)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]]) -> Records:
        """Build from dicts with a ``key`` and any of the fields (missing → empty)."""
        rows = list(rows)
        for number, row in enumerate(rows, start=1):
            if "key" not in row:
                raise ValueError(f"records: row {number} has no 'key'")
        columns = {
            name: ["" if row.get(name) is None else str(row.get(name)) for row in rows]
            for name in FIELDS
        }
        return cls(key=[row["key"] for row in rows], **columns)


@dataclass(frozen=True)
class Evidence:
    """One field's comparison: ``code`` such as ``id.one_digit`` and its weight in bits."""

    field: str
    code: str
    weight: float


@dataclass(frozen=True)
class Pair:
    """Two records (caller's keys) that may be one person."""

    a: object
    b: object
    probability: float
    weight: float
    evidence: tuple[Evidence, ...]


@dataclass
class Linkage:
    """The result: every scored candidate pair (record indexes) and a person per record.

    ``cluster[k]`` is the person of record ``k``: records whose pairs reach the
    match threshold are joined transitively (connected components).
    """

    records: Records
    i: np.ndarray
    j: np.ndarray
    levels: np.ndarray  # (pairs, features) int8, -1 = missing
    weight: np.ndarray  # log2 odds
    probability: np.ndarray
    cluster: np.ndarray
    threshold: float
    model: object = None  # score.Model, or None when there was nothing to compare
    stats: dict = field(default_factory=dict)

    def matched(self) -> tuple[np.ndarray, np.ndarray]:
        """Scored pairs at or above the threshold (record indexes)."""
        keep = self.probability >= self.threshold
        return self.i[keep], self.j[keep]
