"""Writes of guardianship: plans, volunteer status, pins, contacts, escalations."""

from __future__ import annotations

import datetime as dt
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
from linli.notifications.services import notify
from linli.places.models import Place
from linli.register.models import Ward

from .models import (
    Assignment,
    Contact,
    CoverageSnapshot,
    Escalation,
    Gap,
    Role,
    StatusChange,
    Volunteer,
    VolunteerStatus,
)
from .planning import community_of, scenario_for

log = logging.getLogger(__name__)


class GuardianshipError(ValueError):
    """A request that cannot be honoured; the message says why."""


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


def solve_scenario(scenario: dict[str, Any]) -> dict[str, Any]:
    """Run the pure planner on a scenario dict and return the plan dict."""
    from linli.domain.matching import solve_dict

    return solve_dict(scenario)


def do_plan_community(*, actor: Any, community: Place, trigger: str = "") -> PlanResult:
    """Re-plan one community's guardians and store the plan, its gaps and a coverage snapshot.

    Plans of one community are serialised by a row lock on the community, so two
    events at once never store two plans over each other. The change term of the
    planner's objective keeps existing pairs unless breaking them fills more roles.
    """
    started = time.perf_counter()
    with transaction.atomic():
        Place.objects.select_for_update().get(pk=community.pk)
        scenario = scenario_for(community)
        plan = solve_scenario(scenario)
        result = _store_plan(community, scenario, plan, actor)
        result.millis = (time.perf_counter() - started) * 1000
        CoverageSnapshot.objects.create(
            community=community,
            wards=result.wards,
            primary_filled=result.primary_filled,
            backup_filled=result.backup_filled,
            both_filled=sum(
                1
                for a in plan["assignments"]
                if a["primary"] is not None and a["backup"] is not None
            ),
            cost=result.cost,
            changed_roles=len(result.changed),
            trigger=trigger[:100],
            millis=result.millis,
        )
        if result.changed:
            transaction.on_commit(lambda: _notify_changes(community, result.changed))
        gaps = result.gaps
        transaction.on_commit(lambda: _raise_gap_task(community, gaps))
    log.info(
        "planned community=%s wards=%d gaps=%d changed=%d ms=%.1f",
        community.code,
        result.wards,
        result.gaps,
        len(result.changed),
        result.millis,
    )
    return result


def _store_plan(
    community: Place, scenario: dict[str, Any], plan: dict[str, Any], actor: Any
) -> PlanResult:
    """Write the plan over the one in force: only the roles that changed, in bulk, each
    change audited (a city's plan is hundreds of thousands of roles)."""
    existing = {
        (a.ward_id, a.role): a
        for a in Assignment.objects.filter(ward_id__in=[w["id"] for w in scenario["wards"]])
    }
    wanted: dict[tuple[int, str], int] = {}
    for row in plan["assignments"]:
        for role in (Role.PRIMARY, Role.BACKUP):
            if row[role] is not None:
                wanted[(row["ward"], role)] = row[role]
    pinned = {(p["ward"], p["role"]) for p in scenario["pinned"]}
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
            Gap(community=community, ward_id=g["ward"], role=g["role"], reason=g["reason"][:300])
            for g in plan["gaps"]
        ]
    )
    return PlanResult(
        community=community.code,
        wards=len(scenario["wards"]),
        primary_filled=sum(1 for key in wanted if key[1] == Role.PRIMARY),
        backup_filled=sum(1 for key in wanted if key[1] == Role.BACKUP),
        gaps=len(plan["gaps"]),
        cost=float(plan["cost"]),
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


def do_set_volunteer_status(
    *, actor: Any, volunteer: Volunteer, status: str, reason: str = ""
) -> PlanResult | None:
    """Change a volunteer's status, record it, and repair the community's plan at once."""
    if status not in VolunteerStatus.values:
        raise GuardianshipError(_("Unknown status %(status)s.") % {"status": status})
    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.status == status:
            return None
        StatusChange.objects.create(
            volunteer=locked, status=status, previous=locked.status, actor=actor, reason=reason
        )
        locked.status = status
        locked.save(update_fields=["status"])
        volunteer.status = status
        return do_plan_community(
            actor=actor,
            community=community_of(locked.place),
            trigger=f"volunteer {locked.pk} {status}",
        )


def do_pin_guardian(*, actor: Any, ward: Ward, role: str, volunteer: Volunteer) -> PlanResult:
    """Fix a ward's guardian by hand; the planner keeps pinned pairs as given."""
    from linli.domain.matching import can_serve

    community = community_of(ward.resident.place)
    with transaction.atomic():
        # The community's row lock serialises pins and plans: two secretaries pinning the
        # same volunteer at once cannot both take the last place in their capacity.
        Place.objects.select_for_update().get(pk=community.pk)
        scenario = scenario_for(community)
        ward_row = next((w for w in scenario["wards"] if w["id"] == ward.pk), None)
        volunteer_row = next((v for v in scenario["volunteers"] if v["id"] == volunteer.pk), None)
        if ward_row is None or volunteer_row is None:
            raise GuardianshipError(_("The volunteer and the ward must be in the same community."))
        if not can_serve(ward_row, volunteer_row, set(scenario["sealed"])):
            raise GuardianshipError(
                _("This volunteer cannot serve this ward (status, reach, skills or vetting).")
            )
        limit = volunteer_row["capacity" if role == Role.PRIMARY else "backup_capacity"]
        held = [
            p
            for p in scenario["pinned"]
            if p["volunteer"] == volunteer.pk and p["role"] == role and p["ward"] != ward.pk
        ]
        if len(held) >= limit:
            raise GuardianshipError(
                _(
                    "This volunteer is already pinned to %(count)d wards in this role, "
                    "the most they can take."
                )
                % {"count": len(held)}
            )
        other = Role.BACKUP if role == Role.PRIMARY else Role.PRIMARY
        if Assignment.objects.filter(ward=ward, role=other, volunteer=volunteer).exists():
            Assignment.objects.filter(ward=ward, role=other, volunteer=volunteer).delete()
        Assignment.objects.update_or_create(
            ward=ward,
            role=role,
            defaults={"volunteer": volunteer, "pinned": True, "since": timezone.now()},
        )
        return do_plan_community(
            actor=actor, community=community, trigger=f"pin ward {ward.pk} {role}"
        )


def do_unpin_guardian(*, actor: Any, ward: Ward, role: str) -> PlanResult:
    community = community_of(ward.resident.place)
    with transaction.atomic():
        Assignment.objects.filter(ward=ward, role=role).update(pinned=False)
        return do_plan_community(
            actor=actor, community=community, trigger=f"unpin ward {ward.pk} {role}"
        )


def replan_for_compound(place: Place, *, actor: Any = None) -> PlanResult:
    """React to a compound being sealed or unsealed."""
    return do_plan_community(
        actor=actor,
        community=community_of(place),
        trigger=f"compound {place.code} {'sealed' if place.sealed else 'unsealed'}",
    )


def do_log_contact(
    *,
    actor: Any,
    ward: Ward,
    method: str,
    at: dt.datetime | None = None,
    provided: str = "",
    concerns: str = "",
    photo: Any = None,
    client_id: str = "",
) -> Contact:
    """Record a contact with a ward; it closes any open escalation. Re-sending the same
    ``client_id`` (a phone retrying after a dropped connection) records it once."""
    volunteer = getattr(actor, "volunteer", None) if actor is not None else None
    with transaction.atomic():
        if client_id:
            existing = Contact.objects.filter(ward=ward, client_id=client_id).first()
            if existing:
                return existing
        contact = Contact.objects.create(
            ward=ward,
            volunteer=volunteer,
            recorded_by=actor,
            at=at or timezone.now(),
            method=method,
            provided=provided[:300],
            concerns=concerns,
            photo=photo,
            client_id=client_id[:64],
        )
        Escalation.objects.filter(ward=ward, resolved_at__isnull=True).update(
            resolved_at=contact.at, resolved_by=contact
        )
    return contact


def do_escalate_missed_contacts(
    *, now: dt.datetime | None = None, community: Place | None = None
) -> int:
    """Open escalations for wards whose contact window has passed; returns how many.

    Safe to run from several workers: each ward's open escalation row is created once
    (the check and the insert run under a lock on the ward's escalations).
    """
    from linli.domain.contacts import WardContactState, escalations

    now = now or timezone.now()
    wards = Ward.objects.filter(guardians__isnull=False).distinct()
    if community is not None:
        wards = wards.filter(resident__place__code__startswith=community.code)
    states = []
    from linli.register.selectors import community_contact_windows

    windows = community_contact_windows()
    wards = wards.select_related("resident__place")
    for ward in wards.prefetch_related("contacts", "escalations", "guardians"):
        contacts = sorted(c.at for c in ward.contacts.all())
        open_levels = [e.level for e in ward.escalations.all() if e.resolved_at is None]
        since = min(a.since for a in ward.guardians.all())
        states.append(
            WardContactState(
                ward=ward.pk,
                risk=ward.risk,
                last_contact=contacts[-1] if contacts else None,
                guarded_since=since,
                open_level="secretary"
                if "secretary" in open_levels
                else ("backup" if open_levels else None),
                window_hours=windows.get(ward.resident.place.code[:12], {}).get(ward.risk),
            )
        )
    actions = escalations(states, now)
    created = 0
    for action in actions:
        ward = Ward.objects.get(pk=action.ward)
        created += (
            open_escalation(ward=ward, level=action.level, due_since=action.due_since, now=now)
            is not None
        )
    return created


def open_escalation(
    *, ward: Ward, level: str, due_since: dt.datetime, now: dt.datetime
) -> Escalation | None:
    """Open an escalation of a ward at ``level`` and tell its recipients after commit, unless
    one is open at that level already (checked under a lock on the ward). Used for missed
    contact windows and for deliveries nobody answered the door to."""
    with transaction.atomic():
        Ward.objects.select_for_update().get(pk=ward.pk)
        if Escalation.objects.filter(ward=ward, level=level, resolved_at__isnull=True).exists():
            return None
        escalation = Escalation.objects.create(
            ward=ward, level=level, opened_at=now, due_since=due_since
        )
        transaction.on_commit(lambda: _notify_escalation(escalation))
    return escalation


def _notify_escalation(escalation: Escalation) -> None:
    from linli.accounts.models import User

    ward = escalation.ward
    community_code = ward.resident.place.code[:12]
    if escalation.level == Escalation.Level.BACKUP:
        backup = (
            ward.guardians.filter(role=Role.BACKUP).select_related("volunteer__account").first()
        )
        recipients = [backup.volunteer.account] if backup and backup.volunteer.account else []
        title = _("Please contact your backup ward")
    else:
        recipients = list(
            User.objects.filter(role="community_secretary", place__code=community_code)
        )
        title = _("A ward has not been contacted")
    if recipients:
        notify(
            recipients=recipients,
            kind="missed_contact",
            title=title,
            body=_("Ward %(ward)s is overdue for contact.") % {"ward": ward.pk},
            link=f"/guardianship/wards/{ward.pk}/",
        )
