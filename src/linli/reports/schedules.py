"""Scheduled forms: created by a reader, run once a day by the periodic job."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import User
from linli.accounts.roles import ROLE_CAN, Can
from linli.notifications.services import notify
from linli.places.models import Place

from .catalogue import Form, access_form
from .models import Schedule
from .services import do_generate_report

log = logging.getLogger(__name__)


def do_create_schedule(*, actor: Any, form: Form, place: Place, at: dt.time, fmt: str) -> Schedule:
    """Deliver ``form`` for ``place`` every day at ``at`` (Asia/Shanghai)."""
    return Schedule.objects.create(
        place=place,
        form_key=form.key,
        form_name=form.template.name,
        at=at,
        format=fmt,
        created_by=actor,
    )


def readers_of(place: Place) -> list[User]:
    """Accounts bound to the place that may read the register there."""
    roles = [role for role, can in ROLE_CAN.items() if Can.VIEW_REGISTER in can]
    return list(User.objects.filter(place=place, role__in=roles, is_active=True))


def run_due_schedules(now: dt.datetime | None = None) -> int:
    """Generate and deliver each schedule whose time has come today and that has not run
    today. A schedule is claimed with a conditional UPDATE, so two workers never both
    deliver it. Returns how many were delivered."""
    local = timezone.localtime(now or timezone.now())
    today = local.date()
    due = Schedule.objects.filter(at__lte=local.time()).filter(
        Q(last_day__isnull=True) | Q(last_day__lt=today)
    )
    delivered = 0
    for schedule in due.select_related("place", "created_by"):
        claimed = (
            Schedule.objects.filter(pk=schedule.pk)
            .filter(Q(last_day__isnull=True) | Q(last_day__lt=today))
            .update(last_day=today)
        )
        if not claimed:
            continue
        actor = schedule.created_by
        try:
            form = access_form(actor, schedule.form_key)
        except Exception:  # the uploaded form was removed, or the creator moved away
            log.warning("schedule without its form", extra={"schedule": schedule.pk})
            continue
        report = do_generate_report(
            actor=actor,
            form=form,
            place=schedule.place,
            day=today,
            fmt=schedule.format,
            reason=f"schedule {schedule.pk}",  # the reader who opens the link says their own
            via="schedule",
        )
        link = reverse(
            "reports:download",
            args=[form.key, schedule.place.code, today.isoformat(), schedule.format],
        )
        recipients = {u.pk: u for u in readers_of(schedule.place)}
        if actor is not None:
            recipients[actor.pk] = actor
        notify(
            recipients=recipients.values(),
            kind="report",
            title=f"{form.template.name} {today.isoformat()}",
            body=f"{schedule.place.name}: {report.generation.rows} 行 · SHA-256 "
            f"{report.generation.checksum[:12]}",
            link=link,
            place=schedule.place,
        )
        delivered += 1
    return delivered
