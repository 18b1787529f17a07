"""Writes to places: loading the official divisions, sealing and unsealing compounds.

A seal's consequence lives above places: the seal view calls
:func:`linli.guardianship.replan.do_seal_compound`, which records the seal with the service
here and repairs the community's guardianship plan in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from linli.domain.divisions import read_divisions

from .models import Level, Place, SealEvent

DIVISIONS_DIR = Path(__file__).resolve().parent / "data" / "chengdu"


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    unchanged: int


class PlaceError(ValueError):
    """A request about a place that cannot be honoured; the message says why."""


def do_load_divisions(*, directory: Path = DIVISIONS_DIR) -> LoadSummary:
    """Load city, districts, streets and communities; all or nothing, and idempotent.

    Every file is checked before anything is written (a bad row raises
    :class:`~linli.domain.divisions.DivisionDataError` naming file, row and value).
    """
    rows = read_divisions(directory)
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {p.code: p for p in Place.objects.filter(code__in=[r.code for r in rows])}
        for row in rows:  # file order puts every parent before its children
            place = existing.get(row.code)
            parent = existing.get(row.parent_code) if row.parent_code else None
            if place is None:
                place = Place.objects.create(
                    code=row.code, name=row.name, level=row.level, parent=parent
                )
                existing[row.code] = place
                created += 1
            elif (place.name, place.level, place.parent_id) != (
                row.name,
                row.level,
                parent and parent.pk,
            ):
                place.name, place.level, place.parent = row.name, row.level, parent
                place.save(update_fields=["name", "level", "parent"])
                updated += 1
            else:
                unchanged += 1
    return LoadSummary(created, updated, unchanged)


def _set_sealed(*, actor, place: Place, sealed: bool, reason: str) -> SealEvent:
    if place.level != Level.COMPOUND:
        raise PlaceError(_("Only a compound can be sealed or unsealed."))
    with transaction.atomic():
        locked = Place.objects.select_for_update().get(pk=place.pk)
        if locked.sealed == sealed:
            raise PlaceError(
                _("%(name)s is already sealed.") % {"name": locked.name}
                if sealed
                else _("%(name)s is not sealed.") % {"name": locked.name}
            )
        locked.sealed = sealed
        locked.save(update_fields=["sealed"])
        place.sealed = sealed
        return SealEvent.objects.create(
            place=locked,
            action=SealEvent.Action.SEAL if sealed else SealEvent.Action.UNSEAL,
            actor=actor,
            reason=reason,
        )


def do_seal_compound(*, actor, place: Place, reason: str = "") -> SealEvent:
    """Record that a compound is sealed (封闭管理), who sealed it and why. Only the seal: to
    seal and repair the plan, :func:`linli.guardianship.replan.do_seal_compound`."""
    return _set_sealed(actor=actor, place=place, sealed=True, reason=reason)


def do_unseal_compound(*, actor, place: Place, reason: str = "") -> SealEvent:
    """Record that a compound's seal is lifted (and repair the plan:
    :func:`linli.guardianship.replan.do_unseal_compound`)."""
    return _set_sealed(actor=actor, place=place, sealed=False, reason=reason)
