"""The reach outbox: queue a message, send what is due. At-least-once to the provider, exactly
once in Linli's records (the row's ``key`` is unique; a stale claim is resent with the same
OutId and its answers are counted once by the callback's key)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain.outbox import next_attempt
from linli.domain.reach.rules import Budget, PhoneError, next_allowed, normalise_phone, refusal

from .backends import Outgoing, SendError, backend_for
from .models import CommunityReach, DailyCost, Message

log = logging.getLogger(__name__)
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "LINLI_REACH_STALE_SECONDS", 300))


def rules_for(community: Any) -> CommunityReach:
    found = CommunityReach.objects.filter(place=community).first()
    return found or CommunityReach(place=community)


def phone_of(resident: Any) -> tuple[str, str]:
    """The first usable number of a resident, or PhoneError naming what is wrong."""
    errors = []
    for raw in (resident.phone, resident.phone2):
        if raw:
            try:
                return normalise_phone(raw)
            except PhoneError as error:
                errors.append(str(error))
    raise PhoneError("; ".join(errors) or "no phone number on the record")


def build_message(
    *,
    resident: Any,
    community: Any,
    channel: str,
    purpose: str,
    key: str,
    params: dict,
    language: str = "mandarin",
    checkin: Any = None,
    entry: Any = None,
    now: dt.datetime | None = None,
) -> Message:
    """An unsaved outbox row (PhoneError when the resident has no number a provider takes)."""
    number, kind = phone_of(resident)
    if kind == "landline":
        channel = "voice"  # a landline cannot take an SMS
    return Message(
        key=key,
        community=community,
        resident=resident,
        channel=channel,
        to=number,
        purpose=purpose,
        params=params,
        language=language,
        checkin=checkin,
        entry=entry,
        next_attempt_at=now or timezone.now(),
    )


def send_due(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send what is due, one claimed row at a time; a crash loses nothing (a stale claim is
    sent again) and counts nothing twice (counters move with the row's status)."""
    fixed = now
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "held": 0, "later": 0}
    Message.objects.filter(
        status=Message.Status.SENDING, claimed_at__lt=now - stale_after()
    ).update(status=Message.Status.PENDING)
    due = list(
        Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    rules: dict[int, CommunityReach] = {}
    for pk in due:
        if not Message.objects.filter(pk=pk, status=Message.Status.PENDING).update(
            status=Message.Status.SENDING, claimed_at=timezone.now()
        ):
            continue  # another sender has it
        message = Message.objects.select_related("community").get(pk=pk)
        community = rules.setdefault(message.community_id, rules_for(message.community))
        counts[_send_one(message, community, fixed or timezone.now())] += 1
    return counts


def _send_one(message: Message, community: CommunityReach, now: dt.datetime) -> str:
    local = now.astimezone(TZ)
    # Quiet hours keep routine calls away from lunch and night; a roll-call (an earthquake,
    # a fire) is an emergency and goes at once.
    if message.channel == "voice" and message.purpose != "rollcall":
        allowed = next_allowed(local, community.quiet())
        if allowed > local:
            _release(message, next_attempt_at=allowed.astimezone(dt.UTC))
            return "later"
    cost = settings.LINLI_REACH_COST_FEN.get(message.channel, 0)
    why = refusal(_budget(message, community, local.date(), now), cost)
    if why == "rate":
        _release(message, next_attempt_at=now + dt.timedelta(seconds=60))
        return "later"
    if why is not None:
        _hold(message, why, community, local.date())
        return "held"
    backend = backend_for(message.channel)
    try:
        ref = backend.send(
            Outgoing(
                ref=message.key,
                channel=message.channel,
                to=message.to,
                purpose=message.purpose,
                params=message.params,
                language=message.language,
            )
        )
    except SendError as error:
        return _failed(message, str(error), retry=error.retry, now=now)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.SENT,
            attempts=F("attempts") + 1,
            sent_at=now,
            provider=backend.name,
            provider_ref=ref[:80],
            cost_fen=cost,
            last_error="",
        )
        _count(message.community_id, local.date(), cost)
    return "sent"


def _budget(message: Message, community: CommunityReach, day: dt.date, now: dt.datetime) -> Budget:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=TZ)
    cost = DailyCost.objects.filter(community_id=message.community_id, day=day).first()
    return Budget(
        person_today=Message.objects.filter(
            resident_id=message.resident_id, sent_at__gte=start
        ).count(),
        person_limit=community.person_daily_limit,
        community_last_minute=Message.objects.filter(
            community_id=message.community_id, sent_at__gte=now - dt.timedelta(seconds=60)
        ).count(),
        community_per_minute=community.per_minute_limit,
        spent_fen=cost.cost_fen if cost else 0,
        cap_fen=community.daily_cap_fen,
    )


def _count(community_id: int, day: dt.date, cost: int) -> None:
    updated = DailyCost.objects.filter(community_id=community_id, day=day).update(
        sent=F("sent") + 1, cost_fen=F("cost_fen") + cost
    )
    if not updated:
        try:
            with transaction.atomic():
                DailyCost.objects.create(community_id=community_id, day=day, sent=1, cost_fen=cost)
        except IntegrityError:  # another sender made the row first
            _count(community_id, day, cost)


def _release(message: Message, *, next_attempt_at: dt.datetime) -> None:
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.PENDING, next_attempt_at=next_attempt_at
    )


def _failed(message: Message, error: str, *, retry: bool, now: dt.datetime) -> str:
    attempts = message.attempts + 1
    later = next_attempt(attempts, now) if retry else None
    log.warning("reach send failed id=%s attempt=%d retry=%s", message.pk, attempts, bool(later))
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.PENDING if later else Message.Status.FAILED,
        attempts=attempts,
        next_attempt_at=later or now,
        last_error=error[:300],
    )
    if later is None:
        from .services import message_undeliverable

        message_undeliverable(message.pk, error)
    return "retry" if later else "failed"


def _hold(message: Message, why: str, community: CommunityReach, day: dt.date) -> None:
    reasons = {
        "cap": _("The community's daily spend cap is reached; sending stopped."),
        "person": _("This person's daily message limit is reached."),
    }
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.HELD, last_error=reasons[why][:300]
    )
    if why == "cap":
        _alert_cap(message.community, day)


def _alert_cap(community: Any, day: dt.date) -> None:
    """Tell the community's secretaries once a day that sending stopped at the cap."""
    from linli.accounts.models import User
    from linli.notifications.services import notify

    DailyCost.objects.get_or_create(community=community, day=day)
    if not DailyCost.objects.filter(community=community, day=day, cap_alerted=False).update(
        cap_alerted=True
    ):
        return
    notify(
        recipients=User.objects.filter(role="community_secretary", place=community),
        kind="reach_spend_cap",
        title=_("SMS and calls stopped: daily spend cap reached"),
        body=_("Messages to residents are held until tomorrow or until the cap is raised."),
        link="/reach/",
        place=community,
    )
