"""The Shift Scheduling Benchmark problem (Curtois & Qu) as frozen dataclasses with plain ids.

Day 0 is a Monday; the weekend ``k`` is days ``7k+5`` and ``7k+6``. The horizon-edge
conventions of the evaluator and solver are those of ``bench/rostering/data/FORMAT.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

TERMS = ("on_requests", "off_requests", "under_cover", "over_cover")


@dataclass(frozen=True)
class Shift:
    """A shift type: its length and the shift types that may not be worked the next day."""

    id: str
    minutes: int
    forbidden_next: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Staff:
    """One employee's contract; ``max_shifts`` maps shift id → most such shifts (unlisted: no limit)."""

    id: str
    max_shifts: Mapping[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int
    days_off: frozenset[int] = frozenset()

    def limit(self, shift_id: str, horizon: int) -> int:
        return self.max_shifts.get(shift_id, horizon)


@dataclass(frozen=True)
class Request:
    """A wish to work (on-request) or not to work (off-request) ``shift`` on ``day``."""

    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    """Head-count wanted for one (day, shift); each missing or extra person costs its weight."""

    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class Instance:
    horizon: int
    shifts: tuple[Shift, ...]
    staff: tuple[Staff, ...]
    on_requests: tuple[Request, ...] = ()
    off_requests: tuple[Request, ...] = ()
    cover: tuple[Cover, ...] = ()
    name: str = ""

    @property
    def shift_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.shifts)

    @property
    def staff_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.staff)

    @property
    def weeks(self) -> int:
        return self.horizon // 7

    def shift(self, shift_id: str) -> Shift:
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)


def weekend_days(week: int) -> tuple[int, int]:
    return 7 * week + 5, 7 * week + 6


@dataclass(frozen=True)
class Roster:
    """Per employee (instance order), per day: the shift id worked, or ``None`` for a day off."""

    staff: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    @classmethod
    def from_rows(cls, staff: Iterable[str], rows: Iterable[Sequence[str | None]]) -> Roster:
        return cls(tuple(staff), tuple(tuple(cell or None for cell in row) for row in rows))

    @classmethod
    def empty(cls, instance: Instance) -> Roster:
        return cls(instance.staff_ids, tuple((None,) * instance.horizon for _ in instance.staff))

    def row(self, staff_id: str) -> tuple[str | None, ...]:
        return self.rows[self.staff.index(staff_id)]

    def get(self, staff_id: str, day: int) -> str | None:
        return self.row(staff_id)[day]

    def with_row(self, staff_id: str, row: Sequence[str | None]) -> Roster:
        index = self.staff.index(staff_id)
        rows = list(self.rows)
        rows[index] = tuple(row)
        return Roster(self.staff, tuple(rows))

    def changes(self, other: Roster) -> int:
        """Number of (employee, day) cells that differ from ``other`` (same staff)."""
        mine = dict(zip(self.staff, self.rows, strict=True))
        count = 0
        for staff_id, row in zip(other.staff, other.rows, strict=True):
            ours = mine.get(staff_id, (None,) * len(row))
            count += sum(1 for a, b in zip(ours, row, strict=False) if a != b)
        return count


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: who, which rule (FORMAT.md numbering names), where, and in words."""

    staff: str
    rule: str
    day: int | None
    message: str

    def __str__(self) -> str:
        where = f" day {self.day}" if self.day is not None else ""
        return f"{self.staff}{where}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Evaluation:
    objective: int
    terms: Mapping[str, int]
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @property
    def feasible(self) -> bool:
        return not self.violations
