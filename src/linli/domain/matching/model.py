"""The planner's typed data and its hard rules: a scenario in, a plan out.

The database side (``guardianship/problem.py``) builds a :class:`Scenario` directly; the
``linli match`` file format is read and written in :mod:`.fileformat`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

STATUSES = {"active", "resting", "quarantined", "sick", "withdrawn"}
ROLES = ("primary", "backup")
DEFAULT_WEIGHTS = {"backup_distance": 0.5, "change": 5.0}


@dataclass(frozen=True)
class Ward:
    id: Any
    compound: str
    x: float
    y: float
    sex: str
    minor: bool
    needs: frozenset[str]


@dataclass(frozen=True)
class Volunteer:
    id: Any
    compound: str
    passes: frozenset[str]
    x: float
    y: float
    sex: str
    vetted: bool
    skills: frozenset[str]
    capacity: int
    backup_capacity: int
    status: str

    def capacity_for(self, role: str) -> int:
        """How many wards this volunteer may guard in ``role``: the one capacity rule."""
        return self.capacity if role == "primary" else self.backup_capacity


@dataclass(frozen=True)
class Scenario:
    wards: tuple[Ward, ...]
    volunteers: tuple[Volunteer, ...]
    sealed: frozenset[str]
    current: Mapping[tuple[Any, str], Any] = field(
        default_factory=dict
    )  # (ward, role) -> volunteer
    pinned: Mapping[tuple[Any, str], Any] = field(default_factory=dict)
    backup_distance: float = 0.5
    change: float = 5.0


@dataclass(frozen=True)
class Assignment:
    """A ward's guardians in a plan (``None``: the role is a gap)."""

    ward: Any
    primary: Any | None
    backup: Any | None

    def guardian(self, role: str) -> Any | None:
        return self.primary if role == "primary" else self.backup


@dataclass(frozen=True)
class Gap:
    """A role the plan could not fill, and why in words a secretary can act on."""

    ward: Any
    role: str
    reason: str


@dataclass(frozen=True)
class Plan:
    assignments: tuple[Assignment, ...]
    gaps: tuple[Gap, ...]
    cost: float
    primary_filled: int
    backup_filled: int
    changed: int
    optimal: bool
    seconds: float
    method: str = "relaxation"  # "relaxation" | "branch-and-bound" | "empty"

    def as_dict(self) -> dict[str, Any]:
        """The plan in the ``linli match --output`` format."""
        return {
            "assignments": [
                {"ward": a.ward, "primary": a.primary, "backup": a.backup} for a in self.assignments
            ],
            "gaps": [{"ward": g.ward, "role": g.role, "reason": g.reason} for g in self.gaps],
            "cost": round(self.cost, 3),
        }


def can_reach(compound: str, *, home: str, passes: Set[str], status: str, sealed: Set[str]) -> bool:
    """The reach rule: an active person may enter a compound unless it is sealed and they
    neither live there (``home``) nor hold a pass for it. Deliveries read the same rule."""
    if status != "active":
        return False
    return compound not in sealed or home == compound or compound in passes


def can_serve(ward: Ward, volunteer: Volunteer, sealed: Set[str]) -> bool:
    """The hard rules for one ward and one volunteer, any role."""
    if not can_reach(
        ward.compound,
        home=volunteer.compound,
        passes=volunteer.passes,
        status=volunteer.status,
        sealed=sealed,
    ):
        return False
    if not ward.needs <= volunteer.skills:
        return False
    return not (ward.minor and not volunteer.vetted)


def hold_pins(
    pins: Iterable[tuple[Any, str, Any]],
    wards: Iterable[Ward],
    volunteers: Iterable[Volunteer],
    sealed: Set[str],
) -> dict[tuple[Any, str], Any]:
    """The pins ``(ward, role, volunteer)``, oldest first, that still obey the hard rules and
    fit in their volunteer's capacity, as ``(ward, role) -> volunteer``. A pin broken by
    events (the volunteer fell ill, the compound was sealed, the capacity was lowered) is
    released rather than kept against the rules; the oldest pins stay."""
    by_ward = {w.id: w for w in wards}
    by_volunteer = {v.id: v for v in volunteers}
    held: dict[tuple[Any, str], Any] = {}
    used: dict[tuple[Any, str], int] = {}
    for ward_id, role, volunteer_id in pins:
        ward, volunteer = by_ward.get(ward_id), by_volunteer.get(volunteer_id)
        if ward is None or volunteer is None or not can_serve(ward, volunteer, sealed):
            continue
        key = (volunteer.id, role)
        if used.get(key, 0) >= volunteer.capacity_for(role):
            continue
        used[key] = used.get(key, 0) + 1
        held[(ward.id, role)] = volunteer.id
    return held
