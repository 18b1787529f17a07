"""Scoped reads of guardianship: coverage, gaps, a ward's guardians, a volunteer's wards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from linli.common.scope import access, scoped
from linli.domain.contacts import DEFAULT_WINDOWS_HOURS
from linli.places.models import Level, Place
from linli.register.models import Ward

from .models import Assignment, CoverageSnapshot, Gap, Role, Volunteer


def access_ward(actor: Any, ward_id: int) -> Ward:
    return access(Ward, actor, queryset=Ward.objects.select_related("resident__place"), pk=ward_id)


def access_volunteer(actor: Any, volunteer_id: int) -> Volunteer:
    return access(
        Volunteer, actor, queryset=Volunteer.objects.select_related("place"), pk=volunteer_id
    )


def is_guardian_of(actor: Any, ward: Ward) -> bool:
    volunteer = getattr(actor, "volunteer", None)
    return volunteer is not None and ward.guardians.filter(volunteer=volunteer).exists()


@dataclass(frozen=True)
class CommunityCoverage:
    community: Place
    latest: CoverageSnapshot | None
    gaps: list[Gap]
    history: list[CoverageSnapshot]


def community_coverage(actor: Any, place: Place) -> CommunityCoverage:
    """A community's latest coverage, history and gaps; below a community (a grid worker's
    grid), the gaps of the wards living there."""
    community_code = place.code[:12]
    snapshots = scoped(CoverageSnapshot, actor).filter(community__code=community_code)
    gaps = list(
        scoped(Gap, actor)
        .filter(ward__resident__place__code__startswith=place.code)
        .select_related("ward__resident")
    )
    return CommunityCoverage(place, snapshots.first(), gaps, list(snapshots[:50])[::-1])


@dataclass(frozen=True)
class CoverageRow:
    place: Place
    wards: int
    both_filled: int
    gaps: int
    communities: int = 1

    @property
    def percent(self) -> float:
        return 100.0 * self.both_filled / self.wards if self.wards else 100.0


def coverage_rollup(actor: Any, place: Place) -> tuple[CoverageRow, list[CoverageRow]]:
    """Latest coverage below ``place`` (street, district or city): in all, and for each place
    one level down (a city's districts, a district's streets, a street's communities), summed
    from the latest snapshot of every planned community — a city's page is twenty rows, not
    three thousand."""
    # The latest snapshot of each community (ids grow with time); its gaps are the roles
    # it left empty. Two index scans, however long the history.
    latest = (
        scoped(CoverageSnapshot, actor)
        .filter(community__code__startswith=place.code, community__level=Level.COMMUNITY)
        .order_by()
        .values("community_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    communities = [
        (code, wards, both, 2 * wards - primary - backup)
        for code, wards, both, primary, backup in CoverageSnapshot.objects.filter(id__in=latest)
        .order_by()
        .values_list("community__code", "wards", "both_filled", "primary_filled", "backup_filled")
    ]
    children = list(scoped(Place, actor).filter(parent=place).order_by("code"))
    width = len(children[0].code) if children else len(place.code)
    sums: dict[str, list[int]] = {}
    total = [0, 0, 0, 0]
    for code, wards, both, gaps in communities:
        figures = (wards, both, gaps, 1)
        for into in (sums.setdefault(code[:width], [0, 0, 0, 0]), total):
            for i, n in enumerate(figures):
                into[i] += n
    rows = [CoverageRow(c, *sums[c.code]) for c in children if c.code in sums]
    return CoverageRow(place, *total), rows


@dataclass(frozen=True)
class MyWard:
    ward: Ward
    role: str
    due: dt.datetime
    overdue: bool


def my_wards(actor: Any, *, now: dt.datetime | None = None) -> list[MyWard]:
    """The wards the signed-in volunteer guards, in the order their contact is due."""
    volunteer = getattr(actor, "volunteer", None)
    if volunteer is None:
        return []
    now = now or timezone.now()
    items = []
    for a in (
        Assignment.objects.filter(volunteer=volunteer)
        .select_related("ward__resident__household", "ward__resident__place")
        .prefetch_related("ward__contacts")
    ):
        contacts = [c.at for c in a.ward.contacts.all()]
        start = max([a.since, *contacts])
        due = start + dt.timedelta(hours=DEFAULT_WINDOWS_HOURS.get(a.ward.risk, 24))
        items.append(MyWard(a.ward, a.role, due, due < now))
    return sorted(items, key=lambda item: (item.due, item.role != Role.PRIMARY))


def candidates_for(actor: Any, ward: Ward) -> QuerySet[Volunteer]:
    """Active volunteers of the ward's community a secretary may pin (the service checks the rules)."""
    return (
        scoped(Volunteer, actor)
        .filter(place__code__startswith=ward.resident.place.code[:12], status="active")
        .order_by("name")[:200]
    )


def describe_plan(result: Any) -> str:
    from django.utils.translation import gettext as _

    return _("Plan repaired in %(ms).0f ms: %(changed)d roles changed, %(gaps)d gaps remain.") % {
        "ms": result.millis,
        "changed": len(result.changed),
        "gaps": result.gaps,
    }


def compounds_of(actor: Any, community: Place) -> QuerySet[Place]:
    return (
        scoped(Place, actor)
        .filter(level=Level.COMPOUND, code__startswith=community.code)
        .order_by("code")
    )
