"""Writes to places: loading the official divisions, sealing and unsealing compounds, and
the one way a place's code, parent or level changes (``do_recode_place``).

A seal's consequence lives above places: the seal view calls
:func:`linli.guardianship.replan.do_seal_compound`, which records the seal with the service
here and repairs the community's guardianship plan in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from linli.domain.divisions import read_divisions
from linli.domain.placecodes import Spot, code_problems

from .models import Level, Place, PlaceRecode, SealEvent, code_problem_messages

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
            elif (place.level, place.parent_id) != (row.level, parent and parent.pk):
                # A place's level and parent change only through do_recode_place.
                raise PlaceError(
                    _("%(code)s is a %(level)s below %(parent)s here, not as in the files.")
                    % {"code": place.code, "level": place.level, "parent": place.parent}
                )
            elif place.name != row.name:
                place.name = row.name
                place.save(update_fields=["name"])
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


@dataclass(frozen=True)
class RecodeSummary:
    recode: PlaceRecode
    places: int  # the place and every place below it
    accounts_checked: (
        int  # accounts and API tokens bound at or below, each still reaching the same places
    )
    accounts_gaining: int  # accounts above the new position, now reaching the moved places
    accounts_losing: int  # accounts above the old position, no longer reaching them


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in range(1, len(code))]


def _reach(codes: dict[int, str], bound: set[str]) -> dict[str, frozenset[int]]:
    """For each bound place code, the ids of the places whose code starts with it."""
    return {
        prefix: frozenset(pk for pk, code in codes.items() if code.startswith(prefix))
        for prefix in bound
    }


def do_recode_place(
    *,
    actor,
    place: Place,
    code: str,
    reason: str,
    parent: Place | None = None,
    level: str | None = None,
) -> RecodeSummary:
    """Give ``place`` a new code (and, if given, a new parent or level); every place below
    it takes the new prefix. The only way a place's code, parent or level changes.

    Only an active system administrator may, never for their own place or a place above it,
    and with a reason. The new code must be sound (it extends the new parent's code and has
    its level's length), free (no place has a code starting with it) and lie below no place
    other than its new parent's line. Every account and API token bound at or below the
    place is re-checked: each must reach exactly the places it reached before, or nothing
    is written. One :class:`PlaceRecode` row and an audit-log entry record who, what and why.
    """
    from linli.accounts.models import ApiToken, User
    from linli.accounts.roles import Role
    from linli.screening.models import Screening

    if not (actor is not None and actor.is_active and actor.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("Only a system administrator recodes places."))
    if not reason.strip():
        raise PlaceError(_("Say why the place is recoded."))
    with transaction.atomic():
        locked = Place.objects.select_for_update().get(pk=place.pk)
        old_code, old_parent, old_level = locked.code, locked.parent, locked.level
        new_parent = parent if parent is not None else old_parent
        new_level = level or old_level
        if actor.place.code.startswith(old_code):
            raise PlaceError(_("Nobody recodes their own place or a place above it."))
        if (code, getattr(new_parent, "pk", None), new_level) == (
            old_code,
            locked.parent_id,
            old_level,
        ):
            raise PlaceError(
                _("%(place)s already has that code, parent and level.") % {"place": locked}
            )
        if new_parent is not None and new_parent.code.startswith(old_code):
            raise PlaceError(_("A place cannot move below itself."))
        spot = Spot(code, new_level, new_parent and Spot(new_parent.code, new_parent.level, None))
        if messages := code_problem_messages(code_problems(spot), code=code, level=new_level):
            raise PlaceError(" ".join(messages))
        subtree = dict(Place.objects.filter(code__startswith=old_code).values_list("id", "code"))
        if new_level != old_level and len(subtree) > 1:
            raise PlaceError(_("Only a place with nothing below it changes level."))
        if code != old_code and Place.objects.filter(code__startswith=code).exists():
            raise PlaceError(
                _("Places with codes starting %(code)s exist already.") % {"code": code}
            )
        between = Place.objects.filter(
            code__in=_prefixes(code)[len(new_parent.code) :] if new_parent else []
        ).first()
        if between is not None:
            raise PlaceError(
                _("The code %(code)s would put it below %(other)s as well.")
                % {"code": code, "other": between}
            )

        bound = {
            c: "account"
            for c in User.objects.filter(place__code__startswith=old_code).values_list(
                "place__code", flat=True
            )
        }
        tokens = ApiToken.objects.filter(place__code__startswith=old_code, revoked_at__isnull=True)
        bound.update((c, "token") for c in tokens.values_list("place__code", flat=True))
        checked = User.objects.filter(place__code__startswith=old_code).count() + tokens.count()
        before = _reach(subtree, set(bound))
        losing = set(
            User.objects.filter(place__code__in=_prefixes(old_code)).values_list("pk", flat=True)
        )
        gaining = set(
            User.objects.filter(place__code__in=_prefixes(code)).values_list("pk", flat=True)
        )

        recode = PlaceRecode.objects.create(
            place=locked,
            actor=actor,
            reason=reason.strip(),
            old_code=old_code,
            new_code=code,
            old_parent=old_parent,
            new_parent=new_parent,
            old_level=old_level,
            new_level=new_level,
        )
        Place.objects.filter(pk=locked.pk).update(code=code, parent=new_parent, level=new_level)
        moved = Concat(Value(code), Substr("code", len(old_code) + 1))
        Place.objects.filter(code__startswith=old_code).exclude(pk=locked.pk).update(code=moved)
        if len(old_code) <= len("510107005002"):  # the community's code is kept on each screening
            Screening.objects.filter(community_code__startswith=old_code).update(
                community_code=Concat(Value(code), Substr("community_code", len(old_code) + 1))
            )

        after_codes = dict(Place.objects.filter(code__startswith=code).values_list("id", "code"))
        renamed = {c: code + c[len(old_code) :] for c in bound}
        after = _reach(after_codes, set(renamed.values()))
        widened = sorted(c for c in bound if after[renamed[c]] != before[c])
        if widened or set(after_codes) != set(subtree):
            raise PlaceError(
                _("Recoding %(place)s would change what accounts bound at %(codes)s reach.")
                % {"place": locked, "codes": ", ".join(widened) or old_code}
            )
        recode.open = False
        recode.places = len(subtree)
        recode.accounts_checked = checked
        recode.save(update_fields=["open", "places", "accounts_checked"])
        locked.refresh_from_db()
        LogEntry.objects.log_create(
            locked,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=actor,
            changes={
                "code": [old_code, code],
                "parent": [
                    str(getattr(old_parent, "code", "")),
                    str(getattr(new_parent, "code", "")),
                ],
                "level": [old_level, new_level],
            },
            additional_data={"recode": recode.pk, "places": len(subtree), "reason": recode.reason},
        )
    place.refresh_from_db()
    return RecodeSummary(
        recode=recode,
        places=len(subtree),
        accounts_checked=checked,
        accounts_gaining=len(gaining - losing),
        accounts_losing=len(losing - gaining),
    )


# Levels a community creates for itself, and the parents each may have. A compound may
# lie directly in the community (no grids yet): its code then takes grid number 00, a
# number no grid is ever given, so no grid's code is a prefix of it.
LOCAL_PARENTS = {
    Level.GRID: (Level.COMMUNITY,),
    Level.COMPOUND: (Level.GRID, Level.COMMUNITY),
    Level.BUILDING: (Level.COMPOUND,),
}
NO_GRID = "00"


def _next_code(parent: Place, level: str) -> str:
    """The next unused code below ``parent`` (the parent row is locked by the caller)."""
    from linli.domain.placecodes import CODE_LENGTH

    from .models import PlaceCodeCounter

    prefix = parent.code + (
        NO_GRID if level == Level.COMPOUND and parent.level == Level.COMMUNITY else ""
    )
    width = CODE_LENGTH[level] - len(prefix)
    counter = PlaceCodeCounter.objects.filter(parent=parent).first()
    if counter is None:
        # The first local place here: count past every code ever used below this prefix
        # (places loaded or made before the counter existed, codes recoded away).
        used = [
            *Place.objects.filter(code__startswith=prefix, level=level).values_list(
                "code", flat=True
            ),
            *PlaceRecode.objects.filter(old_code__startswith=prefix, old_level=level).values_list(
                "old_code", flat=True
            ),
        ]
        numbers = [int(c[len(prefix) :]) for c in used if c[len(prefix) :].isdigit()]
        counter = PlaceCodeCounter.objects.create(parent=parent, last=max(numbers, default=0))
    number = counter.last + 1
    if number >= 10**width:
        raise PlaceError(
            _("%(parent)s has no codes left for another %(level)s.")
            % {"parent": parent.name, "level": Level(level).label}
        )
    PlaceCodeCounter.objects.filter(pk=counter.pk).update(last=number)
    return prefix + str(number).zfill(width)


def do_create_place(*, actor, parent: Place, level: str, name: str) -> Place:
    """A grid, compound or building below a community, with the next code of its parent
    (stable, never reused) and an audit row. Refused with :class:`PlaceError` when the
    level cannot lie in ``parent``, the name is empty, or ``parent`` already has a child of
    that name (two secretaries creating the same compound at once: the parent's row lock
    makes the second one find the first one's)."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise PlaceError(_("Give the place a name of at most 100 characters."))
    if parent.level not in LOCAL_PARENTS.get(level, ()):
        raise PlaceError(
            _("A %(level)s cannot lie in %(parent)s.")
            % {
                "level": Level(level).label if level in Level.values else level,
                "parent": parent.name,
            }
        )
    with transaction.atomic():
        parent = Place.objects.select_for_update().get(pk=parent.pk)
        if parent.children.filter(level=level, name=name).exists():
            raise PlaceError(
                _("%(parent)s already has %(name)s.") % {"parent": parent.name, "name": name}
            )
        place = Place(code=_next_code(parent, level), name=name, level=level, parent=parent)
        from auditlog.context import set_actor

        with set_actor(actor if getattr(actor, "pk", None) else None):
            place.save()
    return place
