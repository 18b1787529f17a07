"""Demo-like data for the reports tests: two communities of 玉林街道 loaded from the
synthetic population, guardians planned, a published roster and hours worked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

STREET = "510107005"
COMMUNITIES = ("510107005002", "510107005004")


@dataclass
class Demo:
    street: object
    communities: list
    day: dt.date


@pytest.fixture
def demo(db) -> Demo:
    from django.utils import timezone

    from linli.demo.population import LoadCounts, load_community
    from linli.demo.rosters import do_set_up_demo_roster
    from linli.domain.synth import generate_community
    from linli.guardianship.models import Trigger
    from linli.guardianship.replan import do_replan_community
    from linli.places.models import Place
    from linli.register.models import Vulnerability
    from linli.rostering.models import RosterShift, WorkedSpan

    counts = LoadCounts()
    for i, code in enumerate(COMMUNITIES):
        load_community(generate_community(code, population=1500 + 500 * i, seed=7), counts)
    communities = [Place.objects.get(code=c) for c in COMMUNITIES]
    for community in communities:
        do_replan_community(community=community, trigger=Trigger.BY_HAND, actor=None)
    do_set_up_demo_roster(COMMUNITIES[0], time_limit=1.0)
    day = timezone.localdate()
    # Hours worked: two shifts checked in and out, within the week ending on the day.
    for shift in RosterShift.objects.filter(day__lte=day).order_by("day", "id")[:2]:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
        WorkedSpan.objects.create(
            volunteer=shift.volunteer,
            shift=shift,
            checkpoint=shift.checkpoint,
            started_at=start,
            ended_at=start + dt.timedelta(hours=7, minutes=30),
        )
    # Home quarantine (rare in the synthetic population): four people from 3 to 9 days
    # ago in each community, and one more whose quarantine ended yesterday (not reported).
    from linli.register.models import Resident

    for community in communities:
        people = Resident.objects.filter(place__code__startswith=community.code)[:5]
        for n, person in enumerate(people):
            over = n == 4
            Vulnerability.objects.create(
                resident=person,
                category="home_quarantine",
                source="health",
                start_date=day - dt.timedelta(days=14 if over else 3 + 2 * n),
                end_date=day - dt.timedelta(days=1) if over else None,
            )
    return Demo(Place.objects.get(code=STREET), communities, day)
