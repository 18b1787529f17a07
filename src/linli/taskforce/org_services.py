"""Writes of social-work organisations (三社联动): the registry, their workers, deployments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.common.dates import parse_day
from linli.places.models import Place

from .models import Deployment, Organisation, SocialWorker
from .services import TaskforceError


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    return [v.strip() for v in value or [] if v and v.strip()][:20]


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise TaskforceError(
            _("%(what)s: “%(value)s” is not a date like 2026-03-02")
            % {"what": what, "value": value}
        ) from None


def do_register_organisation(
    *, actor: Any, place: Place, name: str, kind: str, contact: str = "", specialities: Any = ()
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise TaskforceError(_("Organisation name is required"))
    if kind not in Organisation.Kind.values:
        raise TaskforceError(_("Unknown kind of organisation “%(value)s”") % {"value": kind})
    return Organisation.objects.create(
        place=place,
        name=name[:120],
        kind=kind,
        contact=contact[:120],
        specialities=_list(specialities),
    )


def do_add_worker(
    *, actor: Any, organisation: Organisation, name: str, phone: str = "", specialities: Any = ()
) -> SocialWorker:
    name = (name or "").strip()
    if not name:
        raise TaskforceError(_("Social worker's name is required"))
    return SocialWorker.objects.create(
        organisation=organisation,
        name=name[:64],
        phone=phone[:32],
        specialities=_list(specialities),
    )


def do_deploy_workers(
    *,
    actor: Any,
    workers: list[SocialWorker],
    community: Place,
    role: str,
    start: Any,
    end: Any = None,
) -> list[Deployment]:
    """Send workers to a community from ``start`` (until ``end``): all or none. A worker
    already deployed there over an overlapping period is refused, by name."""
    if community.level != "community":
        raise TaskforceError(_("%(place)s is not a community") % {"place": community.name})
    role = (role or "").strip()
    if not role:
        raise TaskforceError(_("Role is required (e.g. 心理疏导, 入户探访)"))
    first, last = _date(start, _("From")), _date(end, _("Until"))
    if first is None:
        raise TaskforceError(_("From: a start date is required"))
    if last is not None and last < first:
        raise TaskforceError(_("Until is before From"))
    if not workers:
        raise TaskforceError(_("Choose at least one social worker"))
    made = []
    with transaction.atomic():
        for worker in workers:
            overlapping = Deployment.objects.filter(worker=worker, community=community).exclude(
                end__lt=first
            )
            if last is not None:
                overlapping = overlapping.exclude(start__gt=last)
            if overlapping.exists():
                raise TaskforceError(
                    _("%(worker)s is already deployed to %(community)s in that period")
                    % {"worker": worker.name, "community": community.short_name}
                )
            made.append(
                Deployment.objects.create(
                    worker=worker,
                    community=community,
                    role=role[:100],
                    start=first,
                    end=last,
                    created_by=actor,
                )
            )
    return made


def do_end_deployment(*, actor: Any, deployment: Deployment, end: Any) -> Deployment:
    last = _date(end, _("Until"))
    if last is None or last < deployment.start:
        raise TaskforceError(_("Until must be on or after %(start)s") % {"start": deployment.start})
    deployment.end = last
    deployment.save(update_fields=["end"])
    return deployment
