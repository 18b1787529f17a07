"""The demo's checkpoint roster: shift types, cover needs and a published two-week
roster for the demo community, so the roster pages and "My shifts" have something."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from linli.places.models import Place
from linli.rostering.models import Checkpoint, CoverNeed, Roster, RosterRules, ShiftType
from linli.rostering.services import do_build_roster_now, do_publish_roster

SHIFTS = (("M", "早班", 8, 16), ("E", "中班", 16, 0), ("N", "夜班", 0, 8))


def do_set_up_demo_roster(community_code: str, *, time_limit: float = 3.0) -> Roster | None:
    """Shifts, needs and a published roster from this Monday; None when there already is
    one or the community has no checkpoints."""
    community = Place.objects.get(code=community_code)
    if Roster.objects.filter(community=community).exists():
        return None
    posts = list(Checkpoint.objects.filter(place__code__startswith=community.code)[:4])
    if not posts:
        return None
    shifts = {
        code: ShiftType.objects.get_or_create(
            community=community,
            code=code,
            defaults={"name": name, "start": dt.time(a), "end": dt.time(b)},
        )[0]
        for code, name, a, b in SHIFTS
    }
    RosterRules.objects.get_or_create(
        community=community, defaults={"forbidden_successions": [["N", "M"]]}
    )
    for i, post in enumerate(posts):
        for code in ("M", "E"):
            CoverNeed.objects.create(
                checkpoint=post, shift_type=shifts[code], minimum=1, preferred=2 if i == 0 else 1
            )
        if i == 0:
            CoverNeed.objects.create(
                checkpoint=post, shift_type=shifts["N"], minimum=1, preferred=1
            )
            CoverNeed.objects.create(
                checkpoint=post,
                shift_type=shifts["M"],
                minimum=1,
                preferred=1,
                skill="temperature_screening",
            )
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    roster = do_build_roster_now(
        actor=None, community=community, start=monday, days=14, time_limit=time_limit
    )
    if roster.status == "draft":
        roster = do_publish_roster(actor=None, roster=roster)
    return roster
