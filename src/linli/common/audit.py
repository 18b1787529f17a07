"""Audit: every change to personal data (django-auditlog, registered in each app's
models) and every reveal of a sensitive field (recorded here, as an ACCESS entry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def mask_value(value: str) -> str:
    """How a masked field's old and new values appear in the audit trail
    (``AUDITLOG_MASK_CALLABLE``): an ID number as the register shows it masked, anything
    else only as changed. django-auditlog's default keeps the second half in clear, which
    for an ID number is the birth date and sequence, and for a JSON row the whole tail."""
    from linli.domain import idcard

    if value in ("", "None"):
        return value
    if len(value) == 18 and value[:17].isdigit():
        return idcard.mask(value)
    return "[masked]"


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
