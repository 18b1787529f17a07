"""``notify`` is the one way any capability tells people something; ``deliver_due`` empties the outbox.

notify() writes the in-app notifications and the outbox rows in the caller's transaction,
so a message exists exactly when the change it reports does. Delivery happens after
commit, in the background (the job runner), and again on every later run for what failed:
a channel that is down loses nothing, it only delays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from linli.common.outbound import OutboundRefused, post_json
from linli.domain.outbox import next_attempt, robot_accepted, robot_payload

from .models import Delivery, Notification, Preference, Robot

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=5)  # a sender that crashed mid-delivery releases its rows


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    place: Any = None,
) -> list[Notification]:
    """Tell each recipient (inbox, and email if they want it) and the place's group robots."""
    title, body = str(title), str(body)
    created = []
    with transaction.atomic():
        for user in {u.pk: u for u in recipients}.values():
            note = Notification.objects.create(
                recipient=user, kind=kind, title=title[:200], body=body, link=link
            )
            created.append(note)
            preference = Preference.objects.filter(user=user).first()
            wants_email = preference is None or (
                preference.email and kind not in preference.muted_kinds
            )
            if user.email and wants_email:
                Delivery.objects.create(
                    notification=note,
                    channel=Delivery.Channel.EMAIL,
                    target=user.email,
                    payload={"subject": title, "body": _email_body(body, link)},
                )
        if place is not None:
            codes = [p.code for p in place.ancestors()] + [place.code]
            for robot in Robot.objects.filter(place__code__in=codes, enabled=True):
                if robot.wants(kind):
                    Delivery.objects.create(
                        place=robot.place,
                        channel=robot.kind,
                        target=robot.url,
                        payload=robot_payload(robot.kind, title, body, link),
                    )
        transaction.on_commit(deliver_soon)
    return created


def _email_body(body: str, link: str) -> str:
    if not link:
        return body
    base = getattr(settings, "LINLI_BASE_URL", "").rstrip("/")
    return f"{body}\n\n{base}{link}"


def deliver_soon() -> None:
    """Start a delivery run in the background (one at a time is enough)."""
    from linli.jobs import runner
    from linli.jobs.models import Job, JobStatus
    from linli.places.models import Place

    if Job.objects.filter(kind="notifications.deliver", status=JobStatus.QUEUED).exists():
        return  # the queued run will take this message too
    root = Place.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        return
    runner.enqueue("notifications.deliver", actor=None, place=root, params={})


def deliver_due(*, now: Any = None, limit: int = 200) -> dict[str, int]:
    """Send what is due; failures wait by back-off and are tried again; give up at the end."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=Delivery.Status.PENDING)
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        # Claim with a conditional update: two senders never send the same row twice.
        if not Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=now
        ):
            continue
        delivery = Delivery.objects.get(pk=pk)
        ok, error = _send(delivery)
        attempts = delivery.attempts + 1
        if ok:
            Delivery.objects.filter(pk=pk).update(
                status=Delivery.Status.SENT,
                attempts=attempts,
                sent_at=timezone.now(),
                last_error="",
            )
            counts["sent"] += 1
            continue
        later = next_attempt(attempts, now)
        log.warning("delivery failed id=%s channel=%s attempt=%d", pk, delivery.channel, attempts)
        Delivery.objects.filter(pk=pk).update(
            status=Delivery.Status.PENDING if later else Delivery.Status.FAILED,
            attempts=attempts,
            next_attempt_at=later or now,
            last_error=error[:300],
        )
        counts["retry" if later else "failed"] += 1
    return counts


def _send(delivery: Delivery) -> tuple[bool, str]:
    try:
        if delivery.channel == Delivery.Channel.EMAIL:
            send_mail(
                delivery.payload["subject"],
                delivery.payload["body"],
                None,
                [delivery.target],
                fail_silently=False,
            )
            return True, ""
        answer = post_json(delivery.target, delivery.payload)
        return robot_accepted(answer.status, answer.json)
    except OutboundRefused as error:  # an address Linli may not call: say why, send nothing
        return False, str(error)
    except Exception as error:  # a channel that is down: keep the row, try later
        # Only the kind of failure: an exception's text may quote what a server answered.
        return False, type(error).__name__


def mark_read(user: Any, pks: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return rows.update(read_at=timezone.now())
