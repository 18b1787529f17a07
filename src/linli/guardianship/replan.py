"""Re-planning a community's guardians: the one entry point every trigger calls.

:func:`do_replan_community` builds the community's scenario (:mod:`.problem`), runs the
planner (:mod:`linli.domain.matching`), writes the plan over the one in force and records
when and why (:class:`~.models.CoverageSnapshot`). Each trigger calls it explicitly, inline,
in the transaction of the change that caused it, so the change and the repaired plan are
stored together or not at all:

- a compound sealed or unsealed: :func:`do_seal_compound`, :func:`do_unseal_compound` below
  (the seal itself is written by :mod:`linli.places.services`; the seal view calls these);
- a volunteer's status, a pin set or released: :mod:`.services`;
- a home quarantine started or ended: :mod:`linli.screening.services`;
- by hand: the coverage page's button, ``linli match``, the ``guardianship.plan_place`` job.

One trigger runs after its change instead: a register import (``register.run_import``, the
background job started when an import is accepted) re-plans its community right after the
import commits; the import is one long transaction of its own.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.common.audit import record_changes
from linli.domain import matching
from linli.notifications.services import notify
from linli.places import services as places
from linli.places.models import Place, SealEvent

from .models import Assignment, CoverageSnapshot, Gap, Role, Trigger, Volunteer
from .problem import community_of, scenario_for

log = logging.getLogger(__name__)


@dataclass
class PlanResult:
    community: str
    wards: int
    primary_filled: int
    backup_filled: int
    gaps: int
    cost: float
    changed: list[tuple[int, str, int | None, int | None]] = field(
        default_factory=list
    )  # ward, role, old, new
    millis: float = 0.0


def do_replan_community(
    *,
    community: Place,
    trigger: Trigger,
    actor: Any,
    about: str = "",
    scenario: matching.Scenario | None = None,
) -> PlanResult:
    """Re-plan one community's guardians and store the plan, its gaps and a coverage
    snapshot saying when and why (``trigger``, and ``about``: the compound, the status, the
    file it concerned).

    Plans of one community are serialised by a row lock on the community, so two events at
    once never store two plans over each other. The change term of the planner's objective
    keeps existing pairs unless breaking them fills more roles. ``scenario``: the
    community's scenario when the caller has just read it under that lock
    (:func:`~.services.do_pin_guardian` checks its pin on it first).
    """
    started = time.perf_counter()
    with transaction.atomic():
        Place.objects.select_for_update().get(pk=community.pk)
        scenario = scenario or scenario_for(community)
        plan = matching.solve(scenario)
        result = _store_plan(community, scenario, plan, actor)
        result.millis = (time.perf_counter() - started) * 1000
        CoverageSnapshot.objects.create(
            community=community,
            wards=result.wards,
            primary_filled=result.primary_filled,
            backup_filled=result.backup_filled,
            both_filled=sum(
                1 for a in plan.assignments if a.primary is not None and a.backup is not None
            ),
            cost=result.cost,
            changed_roles=len(result.changed),
            trigger=trigger,
            about=about[:200],
            millis=result.millis,
        )
        if result.changed:
            transaction.on_commit(lambda: _notify_changes(community, result.changed))
        gaps = result.gaps
        transaction.on_commit(lambda: _raise_gap_task(community, gaps))
    log.info(
        "planned community=%s trigger=%s wards=%d gaps=%d changed=%d ms=%.1f",
        community.code,
        trigger,
        result.wards,
        result.gaps,
        len(result.changed),
        result.millis,
    )
    return result


def do_seal_compound(*, actor: Any, place: Place, reason: str = "") -> SealEvent:
    """Seal a compound (封闭管理) and repair its community's plan in the same transaction:
    only volunteers who live inside or hold a pass may then serve its wards."""
    with transaction.atomic():
        event = places.do_seal_compound(actor=actor, place=place, reason=reason)
        do_replan_community(
            community=community_of(place), trigger=Trigger.SEALED, about=place.name, actor=actor
        )
    return event


def do_unseal_compound(*, actor: Any, place: Place, reason: str = "") -> SealEvent:
    """Lift a compound's seal and repair its community's plan in the same transaction."""
    with transaction.atomic():
        event = places.do_unseal_compound(actor=actor, place=place, reason=reason)
        do_replan_community(
            community=community_of(place), trigger=Trigger.UNSEALED, about=place.name, actor=actor
        )
    return event


def do_merge_compounds(*, actor: Any, source: Place, target: Place) -> Place:
    """Merge compound ``source`` into ``target`` (two compounds that turned out to be one):
    its residents, households and volunteers move to ``target``, each building to the
    building of the same name there (created with the next code when missing), and the
    community's plan is repaired in the same transaction. Codes never change: ``source``
    and its buildings stay, empty, renamed ``… (merged into …)`` so no import finds them.

    Refused with :class:`~linli.places.services.PlaceError` for a compound merged with
    itself, compounds of two communities, anything but two compounds, or when accounts
    are bound to ``source`` (their scope would change: bind them elsewhere first). Every
    move is audited; nothing is written when refused."""
    from linli.accounts.models import User
    from linli.register.models import Household, Resident

    if source.pk == target.pk:
        raise places.PlaceError(_("A compound cannot be merged with itself."))
    if source.level != "compound" or target.level != "compound":
        raise places.PlaceError(_("Only two compounds can be merged."))
    community = community_of(source)
    if community_of(target).pk != community.pk:
        raise places.PlaceError(_("Compounds of two communities cannot be merged."))
    with transaction.atomic():
        Place.objects.select_for_update().get(pk=community.pk)
        source = Place.objects.select_for_update().get(pk=source.pk)
        target = Place.objects.select_for_update().get(pk=target.pk)
        below = Place.objects.filter(code__startswith=source.code)
        bound = User.objects.filter(place__in=below).values_list("username", flat=True)
        if bound:
            raise places.PlaceError(
                _("Accounts are bound to %(place)s (%(names)s): bind them elsewhere first.")
                % {"place": source.name, "names": ", ".join(bound[:5])}
            )
        moves = {source.pk: target.pk}
        existing = {b.name: b for b in target.children.filter(level="building")}
        for building in source.children.filter(level="building").order_by("code"):
            into = existing.get(building.name) or places.do_create_place(
                actor=actor, parent=target, level="building", name=building.name
            )
            moves[building.pk] = into.pk
        for model in (Resident, Household, Volunteer):
            for old, new in moves.items():
                rows = list(model.objects.filter(place_id=old).values_list("pk", flat=True))
                model.objects.filter(pk__in=rows).update(place_id=new)
                record_changes(
                    model,
                    [(pk, LogEntry.Action.UPDATE, {"place": [str(old), str(new)]}) for pk in rows],
                    actor=actor,
                    extra={"merged": f"{source.code} → {target.code}"},
                )
        suffix = _(" (merged into %(place)s)") % {"place": target.name}
        for place in Place.objects.filter(pk__in=[pk for pk in moves if pk != source.pk]):
            place.name = (place.name + suffix)[:100]
            place.save(update_fields=["name"])
        source.name = (source.name + suffix)[:100]
        source.save(update_fields=["name"])
        do_replan_community(
            community=community,
            trigger=Trigger.PLACES_MERGED,
            about=f"{source.name.removesuffix(suffix)} → {target.name}",
            actor=actor,
        )
    return target


def _store_plan(
    community: Place, scenario: matching.Scenario, plan: matching.Plan, actor: Any
) -> PlanResult:
    """Write the plan over the one in force: only the roles that changed, in bulk, each
    change audited (a city's plan is hundreds of thousands of roles)."""
    existing = {
        (a.ward_id, a.role): a
        for a in Assignment.objects.filter(ward_id__in=[w.id for w in scenario.wards])
    }
    wanted: dict[tuple[int, str], int] = {
        (row.ward, role): row.guardian(role)
        for row in plan.assignments
        for role in (Role.PRIMARY, Role.BACKUP)
        if row.guardian(role) is not None
    }
    pinned = scenario.pinned.keys()
    now = timezone.now()
    changed, removed, moved, unpinned = [], [], [], []
    for key, assignment in existing.items():
        new = wanted.get(key)
        if new is None:
            changed.append((key[0], key[1], assignment.volunteer_id, None))
            removed.append(assignment)
        elif new != assignment.volunteer_id:
            changed.append((key[0], key[1], assignment.volunteer_id, new))
            assignment.volunteer_id = new
            assignment.pinned = key in pinned
            assignment.since = now
            moved.append(assignment)
        elif assignment.pinned and key not in pinned:
            assignment.pinned = False  # the pin no longer holds (rules broke it); the pair stays
            unpinned.append(assignment)
    created = [
        Assignment(ward_id=key[0], role=key[1], volunteer_id=volunteer, pinned=key in pinned)
        for key, volunteer in wanted.items()
        if key not in existing
    ]
    changed += [(a.ward_id, a.role, None, a.volunteer_id) for a in created]
    with disable_auditlog():
        Assignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        Assignment.objects.bulk_update(moved, ["volunteer", "pinned", "since"], batch_size=500)
        Assignment.objects.bulk_update(unpinned, ["pinned"], batch_size=500)
        Assignment.objects.bulk_create(created, batch_size=500)
    old = {(w, r): v for w, r, v, _new in changed}
    record_changes(
        Assignment,
        [(a.pk, LogEntry.Action.DELETE, _roles(a, a.volunteer_id, None)) for a in removed]
        + [
            (a.pk, LogEntry.Action.UPDATE, _roles(a, old[(a.ward_id, a.role)], a.volunteer_id))
            for a in moved
        ]
        + [(a.pk, LogEntry.Action.UPDATE, {"pinned": ["True", "False"]}) for a in unpinned]
        + [(a.pk, LogEntry.Action.CREATE, _roles(a, None, a.volunteer_id)) for a in created],
        actor=actor,
        extra={"plan": community.code},
        when=now,
    )
    Gap.objects.filter(community=community).delete()
    Gap.objects.bulk_create(
        [
            Gap(community=community, ward_id=gap.ward, role=gap.role, reason=gap.reason[:300])
            for gap in plan.gaps
        ]
    )
    return PlanResult(
        community=community.code,
        wards=len(scenario.wards),
        primary_filled=sum(1 for key in wanted if key[1] == Role.PRIMARY),
        backup_filled=sum(1 for key in wanted if key[1] == Role.BACKUP),
        gaps=len(plan.gaps),
        cost=round(plan.cost, 3),  # to the millimetre, as in the plan file
        changed=changed,
    )


def _roles(assignment: Assignment, old: int | None, new: int | None) -> dict[str, list[str]]:
    """An assignment's audited change, as django-auditlog writes one: a created or deleted
    assignment lists its ward and role too."""
    change = {"volunteer": [str(old), str(new)]}
    if old is None or new is None:
        ward, role = str(assignment.ward_id), str(assignment.role)
        change["ward"] = ["None", ward] if old is None else [ward, "None"]
        change["role"] = ["None", role] if old is None else [role, "None"]
    return change


def _raise_gap_task(community: Place, gaps: int) -> None:
    """Guardianship gaps become one open task for the quarantine-support group, which finds
    and places guardians for vulnerable people at home (repeated plans do not duplicate it);
    a plan without gaps closes it."""
    from linli.taskforce.services import raise_task, resolve_raised_task

    key = f"guardianship.gaps:{community.code}"
    if not gaps:
        resolve_raised_task(community, key)  # every role filled: the task is done
        return
    raise_task(
        community,
        "quarantine_support",
        _("Find guardians: %(n)s roles without a guardian") % {"n": gaps},
        key,
        description=_("The coverage page lists each gap with its reason."),
        link=f"/guardianship/coverage/{community.code}/",
    )


def _notify_changes(
    community: Place, changed: list[tuple[int, str, int | None, int | None]]
) -> None:
    """Tell every volunteer whose wards changed, and the secretary about new gaps."""
    volunteer_ids = {v for _w, _r, old, new in changed for v in (old, new) if v is not None}
    accounts = [
        v.account
        for v in Volunteer.objects.filter(pk__in=volunteer_ids).select_related("account")
        if v.account
    ]
    if accounts:
        notify(
            recipients=accounts,
            kind="guardian_changed",
            title=_("Your wards have changed"),
            body=_(
                "The guardianship plan of %(community)s changed. Open “My wards” to see who you look after now."
            )
            % {"community": community.short_name},
            link="/guardianship/my-wards/",
        )
