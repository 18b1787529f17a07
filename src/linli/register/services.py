"""Writes to the register (the full register arrives with the register issue)."""

from __future__ import annotations

from typing import Any

from linli.common.audit import record_reveal

from .models import Resident


def do_reveal_id_number(*, actor: Any, resident: Resident, reason: str) -> str:
    """The full ID number, recorded in the audit log with who and why."""
    record_reveal(actor=actor, instance=resident, field="id_number", reason=reason)
    return resident.id_number
