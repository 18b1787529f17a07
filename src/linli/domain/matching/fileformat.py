"""The ``linli match`` file format: the scenario JSON read and checked field by field as
untrusted input, and the plan written back (:meth:`.Plan.as_dict`).

This is the only place the planner meets dicts; inside Linli the scenario is built as
dataclasses (``guardianship/problem.py``) and never goes through JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .model import (
    DEFAULT_WEIGHTS,
    ROLES,
    STATUSES,
    Scenario,
    Volunteer,
    Ward,
    can_serve,
)
from .solve import solve


class ScenarioError(ValueError):
    """A scenario that cannot be planned; ``path`` names the field (``volunteers[3].capacity``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _require(
    obj: Mapping, key: str, path: str, kind: type | tuple[type, ...], *, default: Any = ...
) -> Any:
    if key not in obj:
        if default is not ...:
            return default
        raise ScenarioError(f"{path}.{key}", "is missing")
    value = obj[key]
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ScenarioError(f"{path}.{key}", "must be a finite number")
        return float(value)
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ScenarioError(f"{path}.{key}", f"must be a whole number, got {value!r}")
    if kind is bool and not isinstance(value, bool):
        raise ScenarioError(f"{path}.{key}", f"must be true or false, got {value!r}")
    if kind is float:
        raise ScenarioError(f"{path}.{key}", f"must be a number, got {value!r}")
    if kind is list and not isinstance(value, list):
        raise ScenarioError(f"{path}.{key}", f"must be a list, got {value!r}")
    if kind is str and not isinstance(value, str):
        raise ScenarioError(f"{path}.{key}", f"must be a string, got {value!r}")
    return value


def _id(obj: Mapping, path: str) -> Any:
    value = _require(obj, "id", path, (str, int))
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ScenarioError(f"{path}.id", f"must be a string or a whole number, got {value!r}")
    return value


def _ref(value: Any, path: str, *, optional: bool = False) -> Any:
    """A reference to a ward or volunteer id: a string or a whole number (or null if optional)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ScenarioError(path, f"must be an id (a string or a whole number), got {value!r}")
    return value


def _codes(values: list, path: str) -> frozenset[str]:
    """Compound codes: strings or whole numbers, kept as strings."""
    return frozenset(str(_ref(value, f"{path}[{i}]")) for i, value in enumerate(values))


def _strings(values: list, path: str) -> frozenset[str]:
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise ScenarioError(f"{path}[{i}]", f"must be a string, got {value!r}")
    return frozenset(values)


def parse_scenario(data: Any) -> Scenario:
    """Check every field and build the scenario; the first problem raises :class:`ScenarioError`."""
    if not isinstance(data, Mapping):
        raise ScenarioError("$", "the scenario must be a JSON object")
    wards_in = _require(data, "wards", "$", list)
    volunteers_in = _require(data, "volunteers", "$", list)
    wards, volunteers = [], []
    for i, w in enumerate(wards_in):
        path = f"wards[{i}]"
        if not isinstance(w, Mapping):
            raise ScenarioError(path, "must be an object")
        wards.append(
            Ward(
                id=_id(w, path),
                compound=str(_require(w, "compound", path, (str, int))),
                x=_require(w, "x", path, float),
                y=_require(w, "y", path, float),
                sex=str(w.get("sex", "")),
                minor=_require(w, "minor", path, bool, default=False),
                needs=_strings(_require(w, "needs", path, list, default=[]), f"{path}.needs"),
            )
        )
    for i, v in enumerate(volunteers_in):
        path = f"volunteers[{i}]"
        if not isinstance(v, Mapping):
            raise ScenarioError(path, "must be an object")
        capacity = _require(v, "capacity", path, int, default=3)
        backup_capacity = _require(v, "backup_capacity", path, int, default=3)
        for key, value in (("capacity", capacity), ("backup_capacity", backup_capacity)):
            if value < 0:
                raise ScenarioError(f"{path}.{key}", f"must not be negative, got {value}")
        status = _require(v, "status", path, str, default="active")
        if status not in STATUSES:
            raise ScenarioError(
                f"{path}.status", f"must be one of {', '.join(sorted(STATUSES))}, got {status!r}"
            )
        volunteers.append(
            Volunteer(
                id=_id(v, path),
                compound=str(_require(v, "compound", path, (str, int))),
                passes=_codes(_require(v, "passes", path, list, default=[]), f"{path}.passes"),
                x=_require(v, "x", path, float),
                y=_require(v, "y", path, float),
                sex=str(v.get("sex", "")),
                vetted=_require(v, "vetted", path, bool, default=False),
                skills=_strings(_require(v, "skills", path, list, default=[]), f"{path}.skills"),
                capacity=capacity,
                backup_capacity=backup_capacity,
                status=status,
            )
        )
    _unique([w.id for w in wards], "wards")
    _unique([v.id for v in volunteers], "volunteers")
    ward_ids = {w.id: w for w in wards}
    volunteer_ids = {v.id: v for v in volunteers}
    sealed = _codes(_require(data, "sealed", "$", list, default=[]), "sealed")
    current: dict[tuple[Any, str], Any] = {}
    for i, row in enumerate(_require(data, "current", "$", list, default=[])):
        path = f"current[{i}]"
        if not isinstance(row, Mapping) or "ward" not in row:
            raise ScenarioError(path, "must be an object with a ward")
        ward = _ref(row["ward"], f"{path}.ward")
        for role in ROLES:
            volunteer = _ref(row.get(role), f"{path}.{role}", optional=True)
            if volunteer is not None:
                current[(ward, role)] = (
                    volunteer  # stale entries are harmless: they only cost change
                )
    pinned: dict[tuple[Any, str], Any] = {}
    for i, pin in enumerate(_require(data, "pinned", "$", list, default=[])):
        path = f"pinned[{i}]"
        if not isinstance(pin, Mapping):
            raise ScenarioError(path, "must be an object")
        ward = ward_ids.get(_ref(pin.get("ward"), f"{path}.ward"))
        volunteer = volunteer_ids.get(_ref(pin.get("volunteer"), f"{path}.volunteer"))
        role = pin.get("role")
        if ward is None:
            raise ScenarioError(f"{path}.ward", f"unknown ward {pin.get('ward')!r}")
        if volunteer is None:
            raise ScenarioError(f"{path}.volunteer", f"unknown volunteer {pin.get('volunteer')!r}")
        if role not in ROLES:
            raise ScenarioError(f"{path}.role", f"must be primary or backup, got {role!r}")
        if (ward.id, role) in pinned:
            raise ScenarioError(path, f"ward {ward.id!r} has two pins for {role}")
        if not can_serve(ward, volunteer, sealed):
            raise ScenarioError(
                path, f"volunteer {volunteer.id!r} cannot serve ward {ward.id!r} (hard rules)"
            )
        pinned[(ward.id, role)] = volunteer.id
    for (ward_id, role), vid in pinned.items():
        other = "backup" if role == "primary" else "primary"
        if pinned.get((ward_id, other)) == vid:
            raise ScenarioError(
                "pinned", f"volunteer {vid!r} is pinned as both guardians of ward {ward_id!r}"
            )
    for role, limit in (("primary", "capacity"), ("backup", "backup_capacity")):
        for v in volunteers:
            n = sum(1 for (_, r), vid in pinned.items() if r == role and vid == v.id)
            if n > v.capacity_for(role):
                raise ScenarioError(
                    "pinned",
                    f"volunteer {v.id!r} is pinned to {n} {role} roles, {limit} {v.capacity_for(role)}",
                )
    weights = _require(data, "weights", "$", dict, default={}) if "weights" in data else {}
    if not isinstance(weights, Mapping):
        raise ScenarioError("$.weights", "must be an object")
    merged = DEFAULT_WEIGHTS | dict(weights)
    for key in DEFAULT_WEIGHTS:
        value = merged[key]
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or value < 0
            or not math.isfinite(value)
        ):
            raise ScenarioError(f"weights.{key}", f"must be a non-negative number, got {value!r}")
    return Scenario(
        wards=tuple(wards),
        volunteers=tuple(volunteers),
        sealed=sealed,
        current=current,
        pinned=pinned,
        backup_distance=float(merged["backup_distance"]),
        change=float(merged["change"]),
    )


def _unique(ids: list[Any], path: str) -> None:
    seen: set[Any] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise ScenarioError(f"{path}[{i}].id", f"duplicate id {value!r}")
        seen.add(value)


def solve_dict(data: Any, *, time_limit: float = 30.0) -> dict[str, Any]:
    """``linli match`` in one call: scenario dict in, plan dict out."""
    return solve(parse_scenario(data), time_limit=time_limit).as_dict()
