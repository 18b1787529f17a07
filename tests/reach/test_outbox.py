"""The reach outbox through the locmem backend: quiet hours, limits, cap, opt-out, retries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from linli.reach.backends import locmem
from linli.reach.models import CommunityReach, DailyCost, Message
from linli.reach.outbox import build_message, send_due

from .conftest import at_local

pytestmark = pytest.mark.django_db


def queue(n, *, channel="voice", key="k1", now=None):
    message = build_message(
        resident=n.resident,
        community=n.community,
        channel=channel,
        purpose="checkin",
        key=key,
        params={},
        now=now,
    )
    message.save()
    return message


def test_a_due_message_goes_once_and_is_counted(inside):
    queue(inside, now=at_local(10))
    assert send_due(now=at_local(10))["sent"] == 1
    assert send_due(now=at_local(10, 1))["sent"] == 0  # sent rows are never sent again
    assert [m.to for m in locmem.outbox] == ["13800000000"]
    cost = DailyCost.objects.get(community=inside.community)
    assert (cost.sent, cost.cost_fen) == (1, 12)


def test_calls_wait_out_quiet_hours_sms_do_not(inside):
    voice = queue(inside, now=at_local(22), key="v")
    sms = queue(inside, channel="sms", now=at_local(22), key="s")
    counts = send_due(now=at_local(22))
    assert counts["later"] == 1 and counts["sent"] == 1
    voice.refresh_from_db()
    assert voice.status == "pending"
    assert voice.next_attempt_at == at_local(9, 0, dt.date(2026, 3, 3))
    assert Message.objects.get(pk=sms.pk).status == "sent"


def test_per_person_limit_holds_the_rest_of_the_day(inside):
    CommunityReach.objects.create(place=inside.community, person_daily_limit=1)
    queue(inside, key="a", now=at_local(10))
    queue(inside, key="b", now=at_local(10))
    with translation.override("en"):
        counts = send_due(now=at_local(10))
    assert (counts["sent"], counts["held"]) == (1, 1)
    assert "limit" in Message.objects.get(key="b").last_error


def test_community_rate_limit_waits_a_minute(inside):
    CommunityReach.objects.create(place=inside.community, per_minute_limit=1)
    queue(inside, key="a", now=at_local(10))
    queue(inside, key="b", now=at_local(10))
    assert send_due(now=at_local(10))["later"] == 1
    assert Message.objects.get(key="b").next_attempt_at == at_local(10, 1)


def test_spend_cap_stops_sending_and_alerts_the_secretary_once(inside, secretary):
    from linli.notifications.models import Notification

    CommunityReach.objects.create(place=inside.community, daily_cap_fen=20)
    for key in ("a", "b", "c"):
        queue(inside, key=key, now=at_local(10))
    counts = send_due(now=at_local(10))
    assert (counts["sent"], counts["held"]) == (1, 2)
    assert DailyCost.objects.get(community=inside.community).cost_fen == 12
    alerts = Notification.objects.filter(recipient=secretary, kind="reach_spend_cap")
    assert alerts.count() == 1


def test_a_failing_backend_retries_with_backoff_and_loses_nothing(inside, monkeypatch):
    from linli.reach.backends import SendError
    from linli.reach.backends.locmem import Backend

    calls = []

    def flaky(self, message):
        calls.append(message.ref)
        if len(calls) < 3:
            raise SendError("HTTP 503", retry=True)
        return "ok-1"

    monkeypatch.setattr(Backend, "send", flaky)
    message = queue(inside, now=at_local(10))
    assert send_due(now=at_local(10))["retry"] == 1
    message.refresh_from_db()
    assert message.next_attempt_at == at_local(10, 0) + dt.timedelta(seconds=30)
    assert send_due(now=at_local(10, 0) + dt.timedelta(seconds=29))["retry"] == 0
    send_due(now=at_local(10, 1))
    send_due(now=at_local(10, 5))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_ref) == ("sent", 3, "ok-1")
    assert DailyCost.objects.get(community=inside.community).sent == 1


def test_a_refused_number_fails_at_once_without_retry(inside, monkeypatch):
    from linli.reach.backends import SendError
    from linli.reach.backends.locmem import Backend

    def refuse(self, message):
        raise SendError("SendSms refused: isv.MOBILE_NUMBER_ILLEGAL", retry=False)

    monkeypatch.setattr(Backend, "send", refuse)
    message = queue(inside, now=at_local(10))
    assert send_due(now=at_local(10))["failed"] == 1
    message.refresh_from_db()
    assert message.status == "failed" and "MOBILE_NUMBER_ILLEGAL" in message.last_error


def test_a_bad_phone_on_the_record_is_refused_before_queueing(inside):
    from linli.domain.reach.rules import PhoneError

    inside.resident.phone = "12345"
    inside.resident.save()
    with pytest.raises(PhoneError, match="12345"):
        queue(inside)
