"""Audit: every change to personal data (django-auditlog, registered in each app's
models) and every reveal of a sensitive field (recorded here, as an ACCESS entry)."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db import models


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
