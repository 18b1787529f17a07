"""A small community ready to roster: three shifts, two posts, eight volunteers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest


@dataclass
class Scene:
    community: object
    compound: object
    posts: list
    shifts: dict
    volunteers: list
    start: dt.date


def next_monday(today: dt.date | None = None) -> dt.date:
    from django.utils import timezone

    today = today or timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def build_scene(n, *, volunteers: int = 12, skilled: int = 3) -> Scene:
    from linli.guardianship.models import Volunteer
    from linli.rostering.models import Checkpoint, CoverNeed, RosterRules, ShiftType

    shifts = {
        code: ShiftType.objects.create(
            community=n.community, code=code, name=name, start=dt.time(a), end=dt.time(b)
        )
        for code, name, a, b in (("M", "早班", 8, 16), ("E", "中班", 16, 0), ("N", "夜班", 0, 8))
    }
    second = Checkpoint.objects.create(code=n.compound.code + "K2", name="甲西门", place=n.compound)
    posts = [n.checkpoint, second]
    for post in posts:
        for code in ("M", "E"):
            CoverNeed.objects.create(
                checkpoint=post, shift_type=shifts[code], minimum=1, preferred=1
            )
    CoverNeed.objects.create(
        checkpoint=n.checkpoint, shift_type=shifts["M"], minimum=1, preferred=1, skill="temperature"
    )
    CoverNeed.objects.create(
        checkpoint=n.checkpoint, shift_type=shifts["N"], minimum=1, preferred=1, weekday=4
    )
    RosterRules.objects.create(community=n.community, forbidden_successions=[["N", "M"]])
    people = [n.volunteer]
    people += [
        Volunteer.objects.create(
            place=n.compound,
            name=f"甲队员{i}",
            skills=["temperature"] if i < skilled - 1 else [],
        )
        for i in range(volunteers - 1)
    ]
    n.volunteer.skills = ["nursing", "temperature"]
    n.volunteer.save()
    return Scene(n.community, n.compound, posts, shifts, people, next_monday())


@pytest.fixture
def eager(settings):
    settings.LINLI_JOBS = "eager"


@pytest.fixture
def scene(inside) -> Scene:
    return build_scene(inside)


@pytest.fixture
def build(eager, django_capture_on_commit_callbacks):
    """Build a roster synchronously through the job, as the page does."""
    from linli.rostering.models import Roster
    from linli.rostering.services import do_start_roster

    def run(actor, scene: Scene, *, days: int = 14, time_limit: float = 3.0) -> Roster:
        with django_capture_on_commit_callbacks(execute=True):
            roster = do_start_roster(
                actor=actor,
                community=scene.community,
                start=scene.start,
                days=days,
                time_limit=time_limit,
            )
        roster.refresh_from_db()
        return roster

    return run


def placements_of(roster):
    from linli.domain.rostering.community import Placement

    return [
        Placement(
            str(s.volunteer_id),
            (s.day - roster.start).days,
            s.shift_type.code,
            s.checkpoint.code,
            s.skill,
        )
        for s in roster.shifts.select_related("shift_type", "checkpoint")
    ]
