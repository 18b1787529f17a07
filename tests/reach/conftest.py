"""Reach fixtures: the locmem backends, a callback secret, signed posts, a ward with a guardian."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from linli.domain.reach.signing import callback_signature

SECRET = "test-callback-secret"


@pytest.fixture(autouse=True)
def _reach_settings(settings):
    from linli.reach.backends import locmem

    settings.LINLI_REACH_SMS_BACKEND = "locmem"
    settings.LINLI_REACH_VOICE_BACKEND = "locmem"
    settings.LINLI_REACH_CALLBACK_SECRET = SECRET
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


def signed_post(client, provider: str, payload, *, at: int | None = None, secret: str = SECRET):
    body = json.dumps(payload, ensure_ascii=False).encode()
    at = int(time.time()) if at is None else at
    return client.post(
        f"/reach/callbacks/{provider}/",
        data=body,
        content_type="application/json",
        HTTP_X_LINLI_SIGNATURE=f"t={at},v1={callback_signature(secret, at, body)}",
    )


@pytest.fixture
def guarded(inside, make_user):
    """The inside ward with a primary guardian who has an account, and a backup."""
    from linli.guardianship.models import Assignment, Volunteer

    account = make_user("volunteer")
    inside.volunteer.account = account
    inside.volunteer.save()
    Assignment.objects.create(ward=inside.ward, role="primary", volunteer=inside.volunteer)
    backup = Volunteer.objects.create(place=inside.compound, name="甲后备")
    Assignment.objects.create(ward=inside.ward, role="backup", volunteer=backup)
    return inside


def at_local(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 3, 2)) -> dt.datetime:
    import zoneinfo

    return dt.datetime.combine(
        day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")
    )
