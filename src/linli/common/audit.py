"""Audit: every change to personal data (django-auditlog, registered in each app's
models) and every reveal of a sensitive field (recorded here, as an ACCESS entry)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def mask_value(value: str) -> str:
    """How a masked field's old and new values appear in the audit trail
    (``AUDITLOG_MASK_CALLABLE``): an ID number and a phone as the pages mask them
    (:mod:`linli.domain.disclosure`: the trail is read by administrators, who may not
    reveal), anything else only as changed. django-auditlog's default keeps the second
    half in clear, which for an ID number is the birth date and sequence, and for a JSON
    row the whole tail."""
    from linli.domain.disclosure import mask_id_number, mask_phone

    if value in ("", "None"):
        return value
    if len(value) in (15, 18) and value[:15].isdigit():
        return mask_id_number(value)
    if _PHONE.match(value):
        return mask_phone(value)
    return "[masked]"


_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{6,30}$")


def mask_identifiers(changes: dict[str, list[str]]) -> dict[str, list[str]]:
    """Mask, in place, the identifier fields of a change written in bulk (the same rule as
    :func:`mask_value`, by field). Returns ``changes``."""
    from .disclosure import IDENTIFIERS

    for name, mask in IDENTIFIERS.items():
        if name in changes:
            changes[name] = [mask(v) if v else "" for v in changes[name]]
    return changes


def record_reveal(*, actor: Any, instance: models.Model, field: str, reason: str = "") -> LogEntry:
    """Record that ``actor`` saw the full value of ``field`` of ``instance``."""
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        changes={"revealed": [field, reason]},
    )


def reveals_of(instance: models.Model) -> models.QuerySet[LogEntry]:
    return LogEntry.objects.get_for_object(instance).filter(action=LogEntry.Action.ACCESS)


def record_read(
    *,
    actor: Any,
    place: models.Model | None,
    what: str,
    fields: Iterable[str],
    rows: int,
    via: str,
    searched: str = "",
) -> LogEntry:
    """Record that ``actor`` received ``rows`` records of ``what`` (a model's name) under
    ``place`` with ``fields`` (each named as received: ``phone:masked``) through ``via``
    (the API path); ``searched`` says how a search narrowed them (``digits`` when by ID
    or phone digits). The entry carries no personal data: names of fields and counts.
    An account bound to no place (who reads nothing) is recorded under itself."""
    fields = list(fields)
    return LogEntry.objects.log_create(
        place if place is not None else actor,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        changes={"read": [what, str(rows)]},
        additional_data={
            "read": what,
            "fields": fields,
            "rows": rows,
            "via": via[:200],
            "searched": searched,
        },
    )


def reads_of(place: models.Model) -> models.QuerySet[LogEntry]:
    """Bulk reads recorded under ``place`` (:func:`record_read`), newest first."""
    return reveals_of(place).filter(changes__has_key="read").order_by("-timestamp", "-pk")


def record_export(
    *, actor: Any, instance: models.Model, kind: str, rows: int, reason: str, protected: bool
) -> LogEntry:
    """Record that ``actor`` took a file of ``kind`` with ``rows`` rows of personal data out of
    ``instance`` (a roster, a ledger, an import, a report generation), and why. ``actor`` is
    None for the command line and for scheduled deliveries (whose reason names the schedule).
    The entry carries no personal data: the kind, the row count, the reason and whether the
    file had a password. Refuses an export without a reason."""
    if not reason.strip():
        raise ValueError(f"export {kind} of {instance}: a reason is required")
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        changes={"exported": [kind, reason]},
        additional_data={"export": kind, "rows": rows, "reason": reason, "protected": protected},
    )


def exports_of(instance: models.Model) -> models.QuerySet[LogEntry]:
    return reveals_of(instance).filter(changes__has_key="exported")


Change = tuple[int, int, dict[str, list[str]]]  # (object pk, LogEntry action, changes)


def record_changes(
    model: type[models.Model],
    changes: Iterable[Change],
    *,
    actor: Any = None,
    extra: dict[str, Any] | None = None,
    when: dt.datetime | None = None,
) -> int:
    """Audit rows for changes written in bulk (``bulk_create``/``update``/``delete`` send no
    signals, so django-auditlog sees none of them), in the caller's transaction. Values
    must already be masked where the field is sensitive. Returns the number of rows
    written."""
    from .bulk import insert_rows

    content_type = ContentType.objects.get_for_model(model)
    when = when or timezone.now()
    label = model._meta.model_name
    return insert_rows(
        LogEntry,
        (
            {
                "content_type_id": content_type.pk,
                "object_pk": str(pk),
                "object_id": pk,
                "object_repr": f"{label} {pk}",
                "action": action,
                "changes": change,
                "actor_id": getattr(actor, "pk", None),
                "timestamp": when,
                "additional_data": extra,
            }
            for pk, action, change in changes
        ),
    )
