"""The rows each dataset gives form templates, read from the register for one place's
subtree on one day. A few aggregate queries per dataset, never one per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import translation

from linli.guardianship.models import Assignment, Volunteer, VolunteerStatus
from linli.places.models import Place
from linli.register.models import (
    Category,
    DisabilityType,
    Household,
    Need,
    Resident,
    Risk,
    Vulnerability,
)
from linli.rostering.models import RosterShift, RosterStatus, WorkedSpan

COMMUNITY_CODE_LENGTH = 12  # National Bureau of Statistics codes: 12 digits for a community

Row = dict[str, Any]


def labels() -> dict[str, str]:
    """Codes → the Chinese words department forms use."""
    with translation.override("zh-hans"):
        out: dict[str, str] = {}
        for choices in (Category, Risk, Need, DisabilityType, VolunteerStatus):
            out.update({value: str(label) for value, label in choices.choices})
        return out


def active_on(day: dt.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=day)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


class PlaceNames:
    """Names of the community, grid and compound a place code lies in (one query)."""

    def __init__(self, place: Place):
        prefix = place.code[:COMMUNITY_CODE_LENGTH] if len(place.code) > 12 else place.code
        rows = Place.objects.filter(
            code__startswith=prefix, level__in=["community", "grid", "compound"]
        ).values_list("code", "name", "level")
        self.by_level: dict[str, dict[str, str]] = defaultdict(dict)
        for code, name, level in rows:
            self.by_level[level][code] = name
        self._short = {
            p.code: p.short_name
            for p in Place.objects.filter(code__startswith=prefix, level="community")
        }
        self._cache: dict[str, tuple[str, str, str]] = {}

    def of(self, code: str) -> tuple[str, str, str]:
        """(community, grid, compound) names for a place code."""
        found = self._cache.get(code)
        if found is None:
            community = self._short.get(code[:COMMUNITY_CODE_LENGTH], "")
            grid = compound = ""
            for n in range(len(code), COMMUNITY_CODE_LENGTH, -1):
                grid = grid or self.by_level["grid"].get(code[:n], "")
                compound = compound or self.by_level["compound"].get(code[:n], "")
            found = self._cache[code] = (community, grid, compound)
        return found


def people(place: Place, day: dt.date, period_days: int = 1) -> list[Row]:
    """Each current resident with at least one vulnerability category in force on ``day``.

    One join reads them with their households and ward records (the register's residents
    are scanned once, not once per table), one more their guardians."""
    names = PlaceNames(place)
    by_resident: dict[int, Row] = {}
    for v in (
        Vulnerability.objects.filter(
            active_on(day),
            resident__place__code__startswith=place.code,
            resident__merged_into__isnull=True,
        )
        .order_by("resident_id", "id")
        .values(
            "resident_id",
            "category",
            "start_date",
            "end_date",
            "disability_type",
            "disability_grade",
            "resident__name",
            "resident__id_number",
            "resident__sex",
            "resident__birth_date",
            "resident__phone",
            "resident__address",
            "resident__household__address",
            "resident__place__code",
            "resident__ward__risk",
            "resident__ward__needs",
        )
    ):
        row = by_resident.get(v["resident_id"])
        if row is None:
            row = by_resident[v["resident_id"]] = _person(v, names)
        if v["category"] not in row["categories"]:
            row["categories"].append(v["category"])
        if v["disability_type"] and not row["disability_type"]:
            row["disability_type"] = v["disability_type"]
            row["disability_grade"] = v["disability_grade"]
        if v["category"] == Category.HOME_QUARANTINE:
            row["quarantine_start"] = v["start_date"]
            row["quarantine_end"] = v["end_date"]
    rows = list(by_resident.values())
    for row in rows:
        row["has_carer"] = Category.DISABLED_NO_CARER not in row["categories"]
    for a in Assignment.objects.filter(ward__resident__place__code__startswith=place.code).values(
        "ward__resident_id", "role", "volunteer__name", "volunteer__phone"
    ):
        row = by_resident.get(a["ward__resident_id"])
        if row is None:
            continue
        prefix = "guardian" if a["role"] == "primary" else "backup"
        row[f"{prefix}_name"] = a["volunteer__name"]
        row[f"{prefix}_phone"] = a["volunteer__phone"]
        if a["role"] == "primary":
            row["has_guardian"] = True
    return rows


def _person(v: dict[str, Any], names: PlaceNames) -> Row:
    code = v["resident__place__code"]
    community, grid, compound = names.of(code)
    return {
        "pk": v["resident_id"],
        "name": v["resident__name"],
        "id_number": v["resident__id_number"],
        "sex": v["resident__sex"],
        "birth_date": v["resident__birth_date"],
        "phone": v["resident__phone"],
        "address": v["resident__address"] or v["resident__household__address"] or "",
        "community": community,
        "community_code": code[:COMMUNITY_CODE_LENGTH],
        "grid": grid,
        "compound": compound,
        "categories": [],
        "disability_type": "",
        "disability_grade": None,
        "quarantine_start": None,
        "quarantine_end": None,
        "risk": v["resident__ward__risk"] or "",
        "needs": list(v["resident__ward__needs"] or []),
        "has_guardian": False,
        "guardian_name": "",
        "guardian_phone": "",
        "backup_name": "",
        "backup_phone": "",
    }


def _count_by_community(queryset, path: str, **extra) -> dict[str, int]:
    return dict(
        queryset.annotate(community=Substr(path, 1, COMMUNITY_CODE_LENGTH))
        .values("community")
        .annotate(n=Count("pk", **extra))
        .values_list("community", "n")
    )


def communities(place: Place, day: dt.date, period_days: int = 1) -> list[Row]:
    """One row per community under ``place`` (or the place's own community), with counts."""
    code = place.code
    if len(code) >= COMMUNITY_CODE_LENGTH:
        places = [place]
        key = code  # counts of a grid or compound stand on their own
    else:
        places = list(
            Place.objects.filter(code__startswith=code, level="community").select_related("parent")
        )
        key = None

    def counts(queryset, path: str, **extra) -> dict[str, int]:
        if key is not None:
            return {key: queryset.count()}
        return _count_by_community(queryset, path, **extra)

    # Residents and wards in one pass over the register.
    present = Resident.objects.filter(place__code__startswith=code, merged_into__isnull=True)
    if key is not None:
        totals = present.aggregate(residents=Count("pk"), wards=Count("ward"))
        residents, wards = {key: totals["residents"]}, {key: totals["wards"]}
    else:
        residents, wards = {}, {}
        for community, n, w in (
            present.annotate(community=Substr("place__code", 1, COMMUNITY_CODE_LENGTH))
            .values("community")
            .annotate(n=Count("pk"), w=Count("ward"))
            .values_list("community", "n", "w")
        ):
            residents[community], wards[community] = n, w
    households = counts(Household.objects.filter(place__code__startswith=code), "place__code")
    vulnerable = Vulnerability.objects.filter(
        active_on(day), resident__place__code__startswith=code, resident__merged_into__isnull=True
    )
    categories: dict[str, dict[str, int]] = {}
    for category in Category.values:
        categories[category] = counts(vulnerable.filter(category=category), "resident__place__code")
    guarded = counts(
        Assignment.objects.filter(role="primary", ward__resident__place__code__startswith=code),
        "ward__resident__place__code",
    )
    volunteers = Volunteer.objects.filter(place__code__startswith=code)
    active = counts(volunteers.filter(status=VolunteerStatus.ACTIVE), "place__code")
    unavailable = counts(volunteers.exclude(status=VolunteerStatus.ACTIVE), "place__code")
    sealed = counts(
        Place.objects.filter(code__startswith=code, level="compound", sealed=True), "code"
    )
    rows = []
    for p in places:
        c = key or p.code
        row: Row = {
            "code": p.code,
            "name": p.short_name,
            "street": p.parent.name if p.parent_id else "",
            "households": households.get(c, 0),
            "residents": residents.get(c, 0),
            "wards": wards.get(c, 0),
            "guarded": guarded.get(c, 0),
            "unguarded": wards.get(c, 0) - guarded.get(c, 0),
            "gaps": wards.get(c, 0) - guarded.get(c, 0),
            "volunteers_active": active.get(c, 0),
            "volunteers_unavailable": unavailable.get(c, 0),
            "sealed_compounds": sealed.get(c, 0),
        }
        row.update({category: categories[category].get(c, 0) for category in Category.values})
        rows.append(row)
    return rows


def volunteers(place: Place, day: dt.date, period_days: int = 7) -> list[Row]:
    """Each volunteer of the place, with wards guarded, and shifts and hours in the period
    of ``period_days`` days ending on ``day``."""
    code = place.code
    first = day - dt.timedelta(days=period_days - 1)
    names = PlaceNames(place)
    rows: dict[int, Row] = {}
    for v in Volunteer.objects.filter(place__code__startswith=code).values(
        "pk", "name", "phone", "sex", "organisation", "status", "skills", "vetted", "place__code"
    ):
        community, _grid, compound = names.of(v["place__code"])
        rows[v["pk"]] = {
            **{k: v[k] for k in ("name", "phone", "sex", "organisation", "status", "vetted")},
            "pk": v["pk"],
            "skills": list(v["skills"] or []),
            "community": community,
            "community_code": v["place__code"][:COMMUNITY_CODE_LENGTH],
            "compound": compound,
            "primary_wards": 0,
            "backup_wards": 0,
            "shifts": 0,
            "hours": 0.0,
            "checkpoints": [],
        }
    for a in (
        Assignment.objects.filter(volunteer__place__code__startswith=code)
        .values("volunteer_id", "role")
        .annotate(n=Count("pk"))
    ):
        rows[a["volunteer_id"]][f"{a['role']}_wards"] = a["n"]
    for s in (
        RosterShift.objects.filter(
            volunteer__place__code__startswith=code,
            roster__status=RosterStatus.PUBLISHED,
            day__range=(first, day),
        )
        .order_by("day")
        .values("volunteer_id", "checkpoint__name")
    ):
        row = rows[s["volunteer_id"]]
        row["shifts"] += 1
        if s["checkpoint__name"] not in row["checkpoints"]:
            row["checkpoints"].append(s["checkpoint__name"])
    for w in WorkedSpan.objects.filter(
        volunteer__place__code__startswith=code,
        ended_at__isnull=False,
        started_at__date__range=(first, day),
    ).values("volunteer_id", "started_at", "ended_at"):
        hours = (w["ended_at"] - w["started_at"]).total_seconds() / 3600
        rows[w["volunteer_id"]]["hours"] = round(rows[w["volunteer_id"]]["hours"] + hours, 2)
    return list(rows.values())


DATASETS = {"people": people, "communities": communities, "volunteers": volunteers}


def rows_for(dataset: str, place: Place, day: dt.date, period_days: int) -> list[Row]:
    return DATASETS[dataset](place, day, period_days)
