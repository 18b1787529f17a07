"""Scoped reads: a grid worker's walk, quarantine lists, report figures, roll-ups, trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from linli.common.scope import access, scoped
from linli.domain.screening.figures import COUNTS, Figures, roll_up
from linli.domain.screening.quarantine import Countdown, countdown
from linli.places.models import Level, Place
from linli.register.models import Household, Resident

from .models import DailyReport, Quarantine, Screening


def access_place(actor: Any, code: str) -> Place:
    return access(Place, actor, code=code)


@dataclass(frozen=True)
class Stop:
    """One household on a grid worker's walk, with today's check if there is one."""

    household: Household
    members: int
    checked: Screening | None


def walk_for(
    actor: Any, place: Place, *, day: dt.date | None = None, search: str = ""
) -> list[Stop]:
    """The households under ``place`` in walking order (building, unit, room), unchecked first;
    ``search`` keeps those whose address, room or a member's name holds the text."""
    day = day or timezone.localdate()
    households = (
        scoped(Household, actor)
        .filter(place__code__startswith=place.code)
        .select_related("place")
        .annotate(n=Count("members", filter=Q(members__merged_into__isnull=True)))
        .order_by("place__code", "unit", "room", "code")
    )
    if search.strip():
        text = search.strip()[:64]
        households = households.filter(
            Q(address__icontains=text)
            | Q(room__icontains=text)
            | Q(place__name__icontains=text)
            | Q(pk__in=Resident.objects.filter(name__icontains=text).values("household_id"))
        )
    checked: dict[int, Screening] = {}
    for screening in Screening.objects.filter(
        day=day, household__in=[h.pk for h in households]
    ).order_by("at"):
        checked[screening.household_id] = screening  # the latest check counts
    stops = [Stop(h, h.n, checked.get(h.pk)) for h in households]
    return [s for s in stops if s.checked is None] + [s for s in stops if s.checked is not None]


HEAD_RELATIONS = ("户主", "本人", "head", "self")
WALK_PAGE = 50


@dataclass(frozen=True)
class WalkPage:
    """One page of a walk: its stops with their head of household, and where it sits."""

    stops: list[tuple[Stop, Resident | None]]
    number: int
    pages: int
    total: int
    unchecked: int


def walk_page(
    actor: Any, place: Place, *, page: int = 1, search: str = "", day: dt.date | None = None
) -> WalkPage:
    """A page of :func:`walk_for` (so a 1,000-household grid stays a small page on a phone),
    each household with its head (the member marked 户主, else the first registered)."""
    # walking order: building by building, each building's unchecked households first
    stops = sorted(
        walk_for(actor, place, day=day, search=search),
        key=lambda s: (s.household.place.code, s.checked is not None),
    )
    pages = max(1, -(-len(stops) // WALK_PAGE))
    number = min(max(1, page), pages)
    shown = stops[(number - 1) * WALK_PAGE : number * WALK_PAGE]
    heads: dict[int, Resident] = {}
    for member in (
        Resident.objects.current()
        .filter(household__in=[s.household.pk for s in shown])
        .order_by("pk")
    ):
        hid = member.household_id
        if hid not in heads or (
            member.relation in HEAD_RELATIONS and heads[hid].relation not in HEAD_RELATIONS
        ):
            heads[hid] = member
    return WalkPage(
        stops=[(s, heads.get(s.household.pk)) for s in shown],
        number=number,
        pages=pages,
        total=len(stops),
        unchecked=sum(1 for s in stops if s.checked is None),
    )


@dataclass(frozen=True)
class QuarantineLine:
    quarantine: Quarantine
    countdown: Countdown
    checked_today: bool


def quarantines_for(
    actor: Any, place: Place, *, today: dt.date | None = None
) -> list[QuarantineLine]:
    """Open quarantines under ``place``, soonest end first, with countdown and today's check."""
    today = today or timezone.localdate()
    open_ = list(
        scoped(Quarantine, actor)
        .filter(place__code__startswith=place.code, released_on__isnull=True)
        .select_related("resident")
    )
    residents = {q.resident_id for q in open_}
    households = {q.resident.household_id for q in open_ if q.resident.household_id}
    seen = Screening.objects.filter(day=today).filter(
        Q(resident_id__in=residents) | Q(household_id__in=households, resident__isnull=True)
    )
    seen_residents = set(seen.values_list("resident_id", flat=True))
    # a whole-household check counts for everyone in it; one person's check only for them
    seen_households = set(seen.filter(resident__isnull=True).values_list("household_id", flat=True))
    return [
        QuarantineLine(
            q,
            countdown(q.start, q.planned_end, today),
            q.resident_id in seen_residents or q.resident.household_id in seen_households,
        )
        for q in open_
    ]


def community_figures(code: str, day: dt.date) -> Figures:
    """A community's figures for ``day``, from what the other capabilities store: screenings,
    quarantines, guardianship contacts and escalations, and supplies' days of stock."""
    from linli.guardianship.models import Contact, Escalation
    from linli.supplies.models import Balance
    from linli.supplies.selectors import stock_lines

    counts = Screening.objects.filter(community_code=code, day=day).aggregate(
        screened=Count("id"),
        fever=Count("id", filter=Q(fever=True)),
        arrivals=Count("id", filter=Q(from_risk_area=True)),
    )
    open_on_day = Quarantine.objects.filter(place__code__startswith=code, start__lte=day).filter(
        Q(released_on__isnull=True) | Q(released_on__gt=day)
    )
    quarantined = open_on_day.aggregate(
        home=Count("id", filter=Q(kind="home")),
        centralised=Count("id", filter=Q(kind="centralised")),
    )
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(days=1)
    contacted = (
        Contact.objects.filter(
            ward__resident__place__code__startswith=code, at__gte=start, at__lt=end
        )
        .values("ward_id")
        .distinct()
        .count()
    )
    overdue = (
        Escalation.objects.filter(ward__resident__place__code__startswith=code, opened_at__lt=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        .values("ward_id")
        .distinct()
        .count()
    )
    lines = stock_lines(Balance.objects.filter(location__place__code__startswith=code), today=day)
    days_left = [
        line.forecast.days_of_supply for line in lines if line.forecast.days_of_supply is not None
    ]
    return Figures(
        screened=counts["screened"],
        fever=counts["fever"],
        from_risk_areas=counts["arrivals"],
        quarantined_home=quarantined["home"],
        quarantined_centralised=quarantined["centralised"],
        released=Quarantine.objects.filter(place__code__startswith=code, released_on=day).count(),
        vulnerable_contacted=contacted,
        vulnerable_overdue=overdue,
        stock_days_left=round(min(days_left), 1) if days_left else None,
    )


def figures_of(report: DailyReport) -> Figures:
    return Figures(**{name: getattr(report, name) for name in (*COUNTS, "stock_days_left")})


def communities_under(place: Place):
    if place.level == Level.COMMUNITY:
        return Place.objects.filter(pk=place.pk)
    return Place.objects.filter(level=Level.COMMUNITY, code__startswith=place.code)


def submitted(place: Place, day: dt.date):
    return DailyReport.objects.filter(
        place__code__startswith=place.code, day=day, status=DailyReport.Status.SUBMITTED
    )


def _cached(kind: str, place: Place, day: dt.date, compute):
    """Roll-ups per place and day, kept in the cache until a community below submits
    (:func:`forget_rollups`) or ``LINLI_ROLLUP_CACHE_SECONDS`` pass: officers' dashboards
    read them on every refresh, and they change only when a report is submitted."""
    key = f"linli:rollup:{kind}:{place.code}:{day.isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.LINLI_ROLLUP_CACHE_SECONDS)
    return value


def forget_rollups(community_code: str, day: dt.date) -> None:
    """A community's report of ``day`` was submitted: the roll-ups of it and every place
    above it (codes are prefixes: province, city, district, street) are computed again."""
    codes = {community_code[:n] for n in (2, 4, 6, 9, 12)}
    cache.delete_many(
        [
            f"linli:rollup:{kind}:{code}:{day.isoformat()}"
            for code in codes
            for kind in ("figures", "children", "missing")
        ]
    )


def rollup(place: Place, day: dt.date) -> Figures:
    """The figures of every submitted community report under ``place`` for ``day``, summed in
    the database (days of stock: the lowest); cached per place and day."""
    return _cached(
        "figures", place, day, lambda: _figures(submitted(place, day).aggregate(**_SUMS))
    )


_SUMS = {**{name: Sum(name) for name in COUNTS}, "stock": Min("stock_days_left")}


def _figures(totals: dict[str, Any]) -> Figures:
    return Figures(**{name: totals[name] or 0 for name in COUNTS}, stock_days_left=totals["stock"])


def missing_communities(place: Place, day: dt.date) -> list[Place]:
    def compute() -> list[Place]:
        done = submitted(place, day).values("place_id")
        return list(communities_under(place).exclude(pk__in=done).order_by("code"))

    return _cached("missing", place, day, compute)


@dataclass(frozen=True)
class ChildRow:
    place: Place
    figures: Figures
    submitted: int
    expected: int


def child_rows(place: Place, day: dt.date) -> list[ChildRow]:
    """Each place one level down with the roll-up of its submitted community reports
    (cached per place and day, like :func:`rollup`)."""
    return _cached("children", place, day, lambda: _child_rows(place, day))


def _child_rows(place: Place, day: dt.date) -> list[ChildRow]:
    children = list(Place.objects.filter(parent=place).order_by("code"))
    if place.level in (Level.COMMUNITY, Level.GRID):
        return []
    length = len(children[0].code) if children else 0
    # Summed in the database, one row per child: a city's page reads 20 rows, not 3,047
    # reports.
    sums = {
        row["child"]: row
        for row in submitted(place, day)
        .annotate(child=Substr("place__code", 1, length))
        .values("child")
        .annotate(n=Count("pk"), **_SUMS)
    }
    per_child = dict(
        communities_under(place)
        .annotate(child=Substr("code", 1, length))
        .values("child")
        .annotate(n=Count("pk"))
        .values_list("child", "n")
    )
    empty = roll_up([])
    return [
        ChildRow(
            c,
            _figures(sums[c.code]) if c.code in sums else empty,
            sums[c.code]["n"] if c.code in sums else 0,
            per_child.get(c.code, 0),
        )
        for c in children
        if c.level != Level.GRID
    ]


def trend(place: Place, *, end: dt.date, days: int = 14) -> tuple[list[dt.date], dict[str, list]]:
    """Each figure per day over ``days`` days ending ``end``: a community's submitted report
    (None when there is none), or the roll-up of the submitted reports below a higher place."""
    first = end - dt.timedelta(days=days - 1)
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    rows = (
        DailyReport.objects.filter(
            place__code__startswith=place.code,
            day__gte=first,
            day__lte=end,
            status=DailyReport.Status.SUBMITTED,
        )
        .values("day")
        .annotate(**{name: Sum(name) for name in COUNTS})
    )
    by_day = {row["day"]: row for row in rows}
    series = {name: [by_day[d][name] if d in by_day else None for d in dates] for name in COUNTS}
    return dates, series
