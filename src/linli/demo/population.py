"""Load a synthetic population (from :mod:`linli.domain.synth`) into the database.

Used by ``linli demo`` and by tests at demo/street/district scale; the city scale
goes to files and COPY instead. Bulk inserts in one transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from linli.common.bulk import insert_rows, reserve_ids
from linli.domain.pinyin import search_key
from linli.guardianship.models import Volunteer
from linli.places.models import Level, Place
from linli.register.models import Household, Resident, Vulnerability, Ward
from linli.rostering.models import Checkpoint

COLUMNS = {
    "places": ["code", "name", "level", "parent_code", "x", "y"],
    "households": ["code", "building_code", "unit", "room", "address"],
    "residents": [
        "id",
        "household_code",
        "name",
        "id_number",
        "sex",
        "birth_date",
        "phone",
        "relation",
    ],
    "vulnerabilities": [
        "resident_id",
        "category",
        "start_date",
        "source",
        "disability_type",
        "disability_grade",
    ],
    "wards": ["resident_id", "risk", "needs"],
    "volunteers": [
        "id",
        "resident_id",
        "name",
        "phone",
        "sex",
        "compound_code",
        "passes",
        "skills",
        "vetted",
        "capacity",
        "backup_capacity",
        "organisation",
        "status",
    ],
    "checkpoints": ["code", "name", "compound_code", "x", "y"],
}


def rows(table: Any, columns: Sequence[str]) -> Iterable[dict[str, Any]]:
    """Rows as dicts, whether the table is a list of mappings, of tuples, or a dict of columns."""
    if isinstance(table, Mapping):
        n = len(table[columns[0]])
        for i in range(n):
            yield {c: _plain(table[c][i]) for c in columns}
        return
    for row in table:
        if isinstance(row, Mapping):
            yield {c: _plain(row.get(c)) for c in columns}
        elif hasattr(row, "_asdict"):
            data = row._asdict()
            yield {c: _plain(data.get(c)) for c in columns}
        elif hasattr(row, "__dataclass_fields__"):
            yield {c: _plain(getattr(row, c, None)) for c in columns}
        else:
            yield {c: _plain(v) for c, v in zip(columns, row, strict=False)}


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v for v in str(value).split("|") if v]


def _opt_float(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


@dataclass
class LoadCounts:
    places: int = 0
    households: int = 0
    residents: int = 0
    vulnerabilities: int = 0
    wards: int = 0
    volunteers: int = 0
    checkpoints: int = 0
    communities: list[str] = field(default_factory=list)


def _insert(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows with primary keys drawn up front (COPY on PostgreSQL); their ids."""
    ids = reserve_ids(model, len(rows))
    for row, pk in zip(rows, ids, strict=True):
        row["id"] = pk
    insert_rows(model, rows)
    return ids


def load_community(population: Any, counts: LoadCounts) -> None:
    """Insert one community's synthetic population (call inside a transaction). Rows go in
    through the bulk path of big imports (``linli.common.bulk``): a city is 21 M residents."""
    place_rows = list(rows(population.places, COLUMNS["places"]))
    parent_codes = {r["parent_code"] for r in place_rows}
    place_ids = dict(Place.objects.filter(code__in=parent_codes).values_list("code", "id"))
    for level in (Level.GRID, Level.COMPOUND, Level.BUILDING):
        mine = [r for r in place_rows if r["level"] == level]
        ids = reserve_ids(Place, len(mine))
        place_ids.update((r["code"], pk) for r, pk in zip(mine, ids, strict=True))
        insert_rows(
            Place,
            [
                {
                    "id": place_ids[r["code"]],
                    "code": r["code"],
                    "name": r["name"],
                    "level": level,
                    "parent_id": place_ids[r["parent_code"]],
                    "x": _opt_float(r["x"]),
                    "y": _opt_float(r["y"]),
                }
                for r in mine
            ],
        )
        counts.places += len(mine)

    household_rows = list(rows(population.households, COLUMNS["households"]))
    household_place = [place_ids[r["building_code"]] for r in household_rows]
    household_ids = _insert(
        Household,
        [
            {
                "code": r["code"],
                "place_id": place,
                "unit": r["unit"] or "",
                "room": r["room"] or "",
                "address": r["address"] or "",
            }
            for r, place in zip(household_rows, household_place, strict=True)
        ],
    )
    households = {
        r["code"]: (pk, place)
        for r, pk, place in zip(household_rows, household_ids, household_place, strict=True)
    }
    counts.households += len(household_rows)

    resident_rows = list(rows(population.residents, COLUMNS["residents"]))
    new_residents = []
    for r in resident_rows:
        household, place = households[r["household_code"]]
        new_residents.append(
            {
                "place_id": place,
                "household_id": household,
                "relation": r["relation"] or "",
                "name": r["name"],
                "name_pinyin": search_key(r["name"]),
                "id_number": r["id_number"] or "",
                "sex": r["sex"] or "",
                "birth_date": _date(r["birth_date"]),
                "phone": r["phone"] or "",
            }
        )
    resident_ids = dict(
        zip(
            (int(r["id"]) for r in resident_rows),
            _insert(Resident, new_residents),
            strict=True,
        )
    )
    counts.residents += len(resident_rows)

    vulnerabilities = [
        {
            "resident_id": resident_ids[int(r["resident_id"])],
            "category": r["category"],
            "start_date": _date(r["start_date"]),
            "source": r["source"] or "",
            "disability_type": r["disability_type"] or "",
            "disability_grade": int(r["disability_grade"])
            if r["disability_grade"] not in (None, "", 0)
            else None,
        }
        for r in rows(population.vulnerabilities, COLUMNS["vulnerabilities"])
    ]
    _insert(Vulnerability, vulnerabilities)
    counts.vulnerabilities += len(vulnerabilities)

    wards = [
        {
            "resident_id": resident_ids[int(r["resident_id"])],
            "risk": r["risk"],
            "needs": _list(r["needs"]),
        }
        for r in rows(population.wards, COLUMNS["wards"])
    ]
    _insert(Ward, wards)
    counts.wards += len(wards)

    volunteer_rows = list(rows(population.volunteers, COLUMNS["volunteers"]))
    volunteer_ids = _insert(
        Volunteer,
        [
            {
                "place_id": place_ids[r["compound_code"]],
                "resident_id": resident_ids.get(int(r["resident_id"]))
                if r["resident_id"] not in (None, "")
                else None,
                "name": r["name"],
                "phone": r["phone"] or "",
                "sex": r["sex"] or "",
                "skills": _list(r["skills"]),
                "vetted": str(r["vetted"]) in {"1", "True", "true"},
                "capacity": int(r["capacity"]),
                "backup_capacity": int(r["backup_capacity"]),
                "organisation": r["organisation"] or "",
                "status": r["status"] or "active",
            }
            for r in volunteer_rows
        ],
    )
    _insert(
        Volunteer.passes.through,
        [
            {"volunteer_id": pk, "place_id": place_ids[code]}
            for r, pk in zip(volunteer_rows, volunteer_ids, strict=True)
            for code in _list(r["passes"])
            if code in place_ids
        ],
    )
    counts.volunteers += len(volunteer_rows)

    checkpoints = [
        {
            "code": r["code"],
            "name": r["name"],
            "place_id": place_ids[r["compound_code"]],
            "x": _opt_float(r["x"]),
            "y": _opt_float(r["y"]),
        }
        for r in rows(population.checkpoints, COLUMNS["checkpoints"])
    ]
    _insert(Checkpoint, checkpoints)
    counts.checkpoints += len(checkpoints)


def do_load_population(
    *, scale: str = "demo", seed: int = 1, progress: Callable[[int, int], None] | None = None
) -> LoadCounts:
    """Generate and insert the synthetic population of ``scale``; communities already
    populated are skipped, so running it twice changes nothing."""
    from linli.domain import synth

    counts = LoadCounts()
    plan = list(synth.communities_for_scale(scale))
    codes = [_community_code(item) for item in plan]
    populated = set(
        Place.objects.filter(level=Level.GRID, parent__code__in=codes).values_list(
            "parent__code", flat=True
        )
    )
    for done, item in enumerate(plan, start=1):
        code = _community_code(item)
        if code not in populated:
            population = synth.generate_community(
                code, population=_community_population(item), seed=seed
            )
            with transaction.atomic():
                load_community(population, counts)
            counts.communities.append(code)
        if progress:
            progress(done, len(plan))
    return counts


def _community_code(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, tuple | list):
        return str(item[0])
    return str(getattr(item, "code", None) or item["code"])


def _community_population(item: Any) -> int:
    if isinstance(item, tuple | list):
        return int(item[1])
    return int(getattr(item, "population", None) or item["population"])
