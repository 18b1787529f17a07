"""Writes of guardianship: volunteer status, pins, contacts, escalations (re-planning a
community, and what triggers it: :mod:`.replan`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain import matching
from linli.notifications.services import notify
from linli.places.models import Place
from linli.register.models import Ward

from .models import (
    Assignment,
    Contact,
    Escalation,
    Role,
    StatusChange,
    Trigger,
    Volunteer,
    VolunteerStatus,
)
from .problem import community_of, scenario_for
from .replan import PlanResult, do_replan_community


class GuardianshipError(ValueError):
    """A request that cannot be honoured; the message says why."""


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
        return do_replan_community(
            community=community_of(locked.place),
            trigger=Trigger.VOLUNTEER_STATUS,
            about=status,
            actor=actor,
        )


def do_pin_guardian(*, actor: Any, ward: Ward, role: str, volunteer: Volunteer) -> PlanResult:
    """Fix a ward's guardian by hand; the planner keeps pinned pairs as given. A pin the hard
    rules or the volunteer's capacity do not allow is refused, and nothing is written."""
    community = community_of(ward.resident.place)
    with transaction.atomic():
        # The community's row lock serialises pins and plans: two secretaries pinning the
        # same volunteer at once cannot both take the last place in their capacity.
        Place.objects.select_for_update().get(pk=community.pk)
        other = Role.BACKUP if role == Role.PRIMARY else Role.PRIMARY
        Assignment.objects.filter(ward=ward, role=other, volunteer=volunteer).delete()
        Assignment.objects.update_or_create(
            ward=ward,
            role=role,
            defaults={"volunteer": volunteer, "pinned": True, "since": timezone.now()},
        )
        # The pin is written first, as the newest, and the scenario read once with it: the
        # rules that hold every pin (matching.hold_pins) decide whether this one holds too.
        scenario = scenario_for(community)
        if scenario.pinned.get((ward.pk, role)) != volunteer.pk:
            raise _refusal(scenario, ward.pk, role, volunteer.pk)  # rolls the pin back
        return do_replan_community(
            community=community, trigger=Trigger.PINNED, actor=actor, scenario=scenario
        )


def _refusal(
    scenario: matching.Scenario, ward_id: int, role: str, volunteer_id: int
) -> GuardianshipError:
    """Why a pin did not hold in ``scenario``."""
    ward = next((w for w in scenario.wards if w.id == ward_id), None)
    volunteer = next((v for v in scenario.volunteers if v.id == volunteer_id), None)
    if ward is None or volunteer is None:
        return GuardianshipError(_("The volunteer and the ward must be in the same community."))
    if not matching.can_serve(ward, volunteer, scenario.sealed):
        return GuardianshipError(
            _("This volunteer cannot serve this ward (status, reach, skills or vetting).")
        )
    held = sum(
        1
        for (pinned_ward, pinned_role), pinned in scenario.pinned.items()
        if pinned == volunteer_id and pinned_role == role and pinned_ward != ward_id
    )
    return GuardianshipError(
        _(
            "This volunteer is already pinned to %(count)d wards in this role, "
            "the most they can take."
        )
        % {"count": held}
    )


def do_unpin_guardian(*, actor: Any, ward: Ward, role: str) -> PlanResult:
    community = community_of(ward.resident.place)
    with transaction.atomic():
        Assignment.objects.filter(ward=ward, role=role).update(pinned=False)
        return do_replan_community(community=community, trigger=Trigger.UNPINNED, actor=actor)


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
        from linli.reach.services import contact_logged

        contact_logged(contact)  # open roll-calls of the ward turn green
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
