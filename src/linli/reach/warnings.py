"""Incoming warnings (GB/T 35965): a roll-call for each named place the sender may reach."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from linli.common.scope import in_scope
from linli.domain.reach.cap import WarningError, parse_warning
from linli.places.models import Place

from .models import RollCall, Warning
from .services import do_start_rollcall

__all__ = ["WarningError", "do_receive_warning"]


def do_receive_warning(*, actor: Any, body: bytes) -> tuple[Warning, list[RollCall]]:
    """Parse, record, and start a roll-call per known place in the actor's scope; unknown and
    out-of-scope codes are recorded, not guessed. The same identifier twice starts nothing new."""
    parsed = parse_warning(body)
    with transaction.atomic():
        existing = Warning.objects.filter(identifier=parsed.identifier).first()
        if existing is not None:
            return existing, list(RollCall.objects.filter(warning=existing))
        if parsed.status.lower() not in ("", "actual"):
            raise WarningError(f"status {parsed.status!r}: only Actual warnings start roll-calls")
        places = {p.code: p for p in Place.objects.filter(code__in=parsed.codes)}
        unknown = [c for c in parsed.codes if c not in places]
        refused = [c for c in places if not in_scope(actor, c)]
        record = Warning.objects.create(
            identifier=parsed.identifier,
            sender=parsed.sender,
            event=parsed.event,
            headline=parsed.headline,
            received_by=actor,
            codes=list(parsed.codes),
            unknown_codes=unknown,
            refused_codes=refused,
        )
        reason = (parsed.headline or parsed.event or parsed.identifier)[:200]
        rollcalls = [
            do_start_rollcall(actor=actor, place=place, reason=reason, minutes=60, warning=record)
            for code, place in places.items()
            if code not in refused
        ]
    return record, rollcalls
