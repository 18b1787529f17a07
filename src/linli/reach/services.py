"""Writes of the reach capability: callbacks, answers, daily check-ins, roll-calls, family links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.common.scope import in_scope
from linli.domain.reach import callbacks as cb
from linli.domain.reach.rules import (
    CHECKIN_TRIES,
    HELP,
    SAFE,
    CheckinState,
    PhoneError,
    checkin_step,
    due_slots,
    escalation_level,
    parse_answer,
)
from linli.guardianship.models import Contact, ContactMethod, Escalation, Role
from linli.notifications.services import notify
from linli.places.models import Place
from linli.register.models import Ward

from .models import Callback, CheckIn, Kin, KinLink, Message, RollCall, RollCallEntry
from .outbox import TZ, build_message, phone_of, rules_for

ROLLCALL_ROLES = frozenset(
    {"community_secretary", "street_officer", "district_officer", "city_officer"}
)
ANSWER_WINDOW = dt.timedelta(hours=12)  # an SMS reply counts for the last message of this age


class ReachError(ValueError):
    """A request the reach capability refuses; the message says why."""


def _community_of(place: Place) -> Place:
    code = place.code[:12]
    return place if place.code == code else Place.objects.get(code=code)


# ---------------------------------------------------------------- callbacks and answers


def do_ingest_callback(*, provider: str, body: bytes) -> dict[str, int]:
    """Apply one provider callback (already authenticated); each event once, however often
    it is posted. CallbackError when the body is not the provider's format."""
    counts = {"applied": 0, "duplicate": 0, "unknown": 0, "not_answer": 0}
    for event in cb.parse(provider, body):
        with transaction.atomic():
            outcome, message, detail = _apply_event(event)
            try:
                with transaction.atomic():
                    Callback.objects.create(
                        key=event.key[:120],
                        provider=provider,
                        kind=event.kind,
                        outcome=outcome,
                        detail=detail[:200],
                        message=message,
                    )
            except IntegrityError:
                transaction.set_rollback(True)  # seen before: undo what this event changed
                counts["duplicate"] += 1
                continue
        counts[outcome] += 1
    return counts


def _message_for(event: cb.Event) -> Message | None:
    if event.out_id:
        found = Message.objects.filter(key=event.out_id).first()
        if found:
            return found
    if event.provider_ref:
        return Message.objects.filter(provider_ref=event.provider_ref).first()
    if event.kind == "reply" and event.phone:
        phone = event.phone.removeprefix("+86")
        return (
            Message.objects.filter(
                to=phone, channel="sms", sent_at__gte=timezone.now() - ANSWER_WINDOW
            )
            .filter(Q(checkin__isnull=False) | Q(entry__isnull=False))
            .order_by("-sent_at", "-pk")
            .first()
        )
    return None


def _apply_event(event: cb.Event) -> tuple[str, Message | None, str]:
    message = _message_for(event)
    if message is None:
        return (
            Callback.Outcome.UNKNOWN,
            None,
            f"no message for {event.out_id or event.provider_ref or event.phone}",
        )
    message = Message.objects.select_for_update().get(pk=message.pk)
    if event.kind == "receipt":
        status = Message.Status.DELIVERED if event.ok else Message.Status.UNDELIVERED
        Message.objects.filter(pk=message.pk).update(status=status, last_error=event.text[:300])
        if not event.ok:
            message_undeliverable(message.pk, event.text)
        return Callback.Outcome.APPLIED, message, event.text
    if event.kind == "call" and not event.ok:
        return Callback.Outcome.APPLIED, message, "not answered"
    answer = parse_answer(event.text)
    if answer is None:
        return (
            Callback.Outcome.NOT_AN_ANSWER,
            message,
            f"answer {event.text[:20]!r} is neither 1 nor 2",
        )
    via = "keypress" if event.kind == "call" else "sms"
    record_answer(message=message, answer=answer, via=via)
    return Callback.Outcome.APPLIED, message, answer


def record_answer(*, message: Message, answer: str, via: str) -> None:
    """A resident answered: a contact in the ward's log; the check-in and open roll-calls move."""
    from linli.guardianship.services import do_log_contact

    ward = Ward.objects.filter(resident_id=message.resident_id).first()
    if ward is None:
        return
    method = ContactMethod.PHONE if via == "keypress" else ContactMethod.MESSAGE
    label = _("Safe") if answer == SAFE else _("Needs help")
    contact = do_log_contact(
        actor=None,
        ward=ward,
        method=method,
        provided=f"{label} ({via}, {message.purpose})"[:300],
        concerns=_("Answered: needs help") if answer == HELP else "",
        client_id=f"reach:{message.key}",
    )
    if message.checkin_id:
        checkin = CheckIn.objects.select_for_update().get(pk=message.checkin_id)
        if checkin.status == CheckIn.Status.OPEN:
            checkin.status = CheckIn.Status.SAFE if answer == SAFE else CheckIn.Status.HELP
            checkin.closed_at = timezone.now()
            checkin.contact = contact
            checkin.save(update_fields=["status", "closed_at", "contact"])
            if answer == HELP:
                _escalate_checkin(checkin, "primary")
    _set_entries(ward.pk, answer, via)


def _set_entries(ward_id: int, state: str, via: str) -> None:
    """Every open roll-call of the ward takes the answer (an answer by any channel counts)."""
    now = timezone.now()
    RollCallEntry.objects.filter(ward_id=ward_id, rollcall__closed_at__isnull=True).exclude(
        state=state
    ).update(state=state, via=via, changed_at=now)


def contact_logged(contact: Contact) -> None:
    """A person (guardian, secretary) logged a contact: the ward's open roll-calls turn safe,
    unless the contact itself says the ward needs help."""
    if contact.recorded_by_id is None:
        return  # automatic answers set the state themselves
    _set_entries(contact.ward_id, HELP if contact.concerns.strip() else SAFE, contact.method)


def message_undeliverable(message_id: int, error: str) -> None:
    """A number the provider refuses or that never takes the message: the roll-call entry is
    grey (unreachable), the check-in counts the try as unanswered."""
    message = Message.objects.filter(pk=message_id).first()
    if message and message.entry_id:
        RollCallEntry.objects.filter(pk=message.entry_id, state=RollCallEntry.State.PENDING).update(
            state=RollCallEntry.State.UNREACHABLE, via=error[:20], changed_at=timezone.now()
        )


# ---------------------------------------------------------------- daily check-ins (平安报)


def wants_checkin(ward: Ward) -> bool:
    profile = getattr(ward.resident, "reach", None)
    if profile is not None and profile.opted_out:
        return False
    if profile is not None and profile.checkin:
        return True
    return ward.risk == "high" and _sealed(ward.resident.place)


def _sealed(place: Place) -> bool:
    codes = [place.code[:n] for n in (16, 19, len(place.code))]
    return Place.objects.filter(code__in=codes, sealed=True).exists()


def run_checkins(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Open the check-ins whose time has come, queue the tries due, close the unanswered ones
    (escalating them), and move escalations on. Safe to run from several workers."""
    now = now or timezone.now()
    counts = {"opened": 0, "calls": 0, "missed": 0, "escalated": 0}
    local = now.astimezone(TZ)
    wards = Ward.objects.select_related("resident__place", "resident__reach")
    for ward in wards.filter(Q(risk="high") | Q(resident__reach__checkin=True)):
        if not wants_checkin(ward):
            continue
        profile = getattr(ward.resident, "reach", None)
        times = (profile.checkin_times if profile else []) or rules_for(
            _community_of(ward.resident.place)
        ).times()
        for slot in due_slots(local.date(), times, TZ, local):
            if slot < local - dt.timedelta(hours=2):
                continue  # a slot long past (the worker was down) is not called late
            _, created = CheckIn.objects.get_or_create(ward=ward, slot=slot)
            counts["opened"] += created
    for checkin in CheckIn.objects.filter(status=CheckIn.Status.OPEN).select_related(
        "ward__resident__place", "ward__resident__reach"
    ):
        step = checkin_step(CheckinState(checkin.tries, checkin.last_try_at, False), now)
        if step == "call":
            counts["calls"] += _try_checkin(checkin, now)
        elif step == "missed":
            counts["missed"] += _miss_checkin(checkin, now)
    counts["escalated"] = _advance_escalations(now)
    return counts


def _try_checkin(checkin: CheckIn, now: dt.datetime) -> int:
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if locked.status != CheckIn.Status.OPEN or locked.tries != checkin.tries:
            return 0
        resident = checkin.ward.resident
        profile = getattr(resident, "reach", None)
        try:
            message = build_message(
                resident=resident,
                community=_community_of(resident.place),
                channel=profile.channel if profile else "voice",
                purpose="checkin",
                key=f"checkin:{checkin.pk}:{locked.tries + 1}",
                params={},
                language=profile.language if profile else "mandarin",
                checkin=locked,
                now=now,
            )
        except PhoneError:
            locked.tries = CHECKIN_TRIES  # nothing to call: the tries are used up now
            locked.last_try_at = now - dt.timedelta(hours=1)
            locked.door_visit = True
            locked.save(update_fields=["tries", "last_try_at", "door_visit"])
            return 0
        message.save()
        locked.tries += 1
        locked.last_try_at = now
        locked.save(update_fields=["tries", "last_try_at"])
    return 1


def _miss_checkin(checkin: CheckIn, now: dt.datetime) -> int:
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        if locked.status != CheckIn.Status.OPEN:
            return 0
        try:
            _, kind = phone_of(checkin.ward.resident)
        except PhoneError:
            kind = "none"
        locked.status = CheckIn.Status.MISSED
        locked.closed_at = now
        locked.door_visit = locked.door_visit or kind == "landline"
        locked.save(update_fields=["status", "closed_at", "door_visit"])
        _escalate_checkin(locked, "primary")
    return 1


def _escalate_checkin(checkin: CheckIn, level: str) -> None:
    """Ask the next in the missed-contact chain to visit now: the primary guardian, then the
    backup and the secretary through guardianship's escalations."""
    from linli.guardianship.services import _notify_escalation

    CheckIn.objects.filter(pk=checkin.pk).update(escalated=level)
    ward = checkin.ward
    if level == "primary":
        primary = (
            ward.guardians.filter(role=Role.PRIMARY).select_related("volunteer__account").first()
        )
        account = primary.volunteer.account if primary else None
        if account is not None:
            door = (
                _(" (landline never answered: please knock on the door)")
                if checkin.door_visit
                else ""
            )
            transaction.on_commit(
                lambda: notify(
                    recipients=[account],
                    kind="checkin_failed",
                    title=_("Please visit your ward now") + door,
                    body=_("Ward %(ward)s did not answer the safety check-in or asked for help.")
                    % {"ward": ward.pk},
                    link=f"/guardianship/wards/{ward.pk}/",
                )
            )
        _notify_kin(ward, checkin=checkin)
        return
    escalation = Escalation.objects.create(
        ward=ward,
        level=level,
        opened_at=timezone.now(),
        due_since=checkin.closed_at or timezone.now(),
    )
    transaction.on_commit(lambda: _notify_escalation(escalation))


def _advance_escalations(now: dt.datetime) -> int:
    moved = 0
    failed = CheckIn.objects.filter(
        status__in=[CheckIn.Status.HELP, CheckIn.Status.MISSED], escalated__in=["primary", "backup"]
    ).select_related("ward")
    for checkin in failed:
        if Contact.objects.filter(
            ward=checkin.ward, at__gte=checkin.closed_at, recorded_by__isnull=False
        ).exists():
            CheckIn.objects.filter(pk=checkin.pk).update(escalated="resolved")
            continue
        level = escalation_level(checkin.closed_at, now)
        if level != checkin.escalated and not (checkin.escalated == "backup" and level == "backup"):
            with transaction.atomic():
                if CheckIn.objects.filter(pk=checkin.pk, escalated=checkin.escalated).update(
                    escalated=level
                ):
                    _escalate_checkin(checkin, level)
                    moved += 1
    return moved


# ---------------------------------------------------------------- roll-calls (全员点名)


def do_start_rollcall(
    *, actor: Any, place: Place, reason: str, minutes: int = 60, warning: Any = None
) -> RollCall:
    """Every ward under ``place`` must be confirmed safe within ``minutes``: a call or text to
    each now (grey at once when no number is usable). Only secretaries and street, district
    and city officers, inside their own places."""
    if getattr(actor, "role", None) not in ROLLCALL_ROLES or not in_scope(actor, place.code):
        raise ReachError(_("You may not start a roll-call for this place."))
    reason = (reason or "").strip()
    if not reason:
        raise ReachError(_("Say why the roll-call is made (it is read to the residents)."))
    if not 5 <= minutes <= 24 * 60:
        raise ReachError(_("The deadline must be between 5 minutes and 24 hours."))
    now = timezone.now()
    with transaction.atomic():
        rollcall = RollCall.objects.create(
            place=place,
            reason=reason[:200],
            started_by=actor,
            started_at=now,
            deadline=now + dt.timedelta(minutes=minutes),
            warning=warning,
        )
        wards = list(
            Ward.objects.filter(resident__place__code__startswith=place.code).select_related(
                "resident__place", "resident__reach"
            )
        )
        entries = RollCallEntry.objects.bulk_create(
            [RollCallEntry(rollcall=rollcall, ward=w, code=w.resident.place.code) for w in wards]
        )
        communities: dict[str, Place] = {}
        messages, unreachable = [], []
        for ward, entry in zip(wards, entries, strict=True):
            resident = ward.resident
            profile = getattr(resident, "reach", None)
            if profile is not None and profile.opted_out:
                continue  # no automatic call; guardians and family can still confirm
            code = resident.place.code[:12]
            community = communities.get(code) or communities.setdefault(
                code, Place.objects.get(code=code)
            )
            try:
                messages.append(
                    build_message(
                        resident=resident,
                        community=community,
                        channel=profile.channel if profile else "voice",
                        purpose="rollcall",
                        key=f"rollcall:{entry.pk}:1",
                        params={"reason": reason[:20]},
                        language=profile.language if profile else "mandarin",
                        entry=entry,
                        now=now,
                    )
                )
            except PhoneError as error:
                unreachable.append((entry.pk, str(error)))
        Message.objects.bulk_create(messages, batch_size=1000)
        for pk, _error in unreachable:
            RollCallEntry.objects.filter(pk=pk).update(
                state=RollCallEntry.State.UNREACHABLE, via="no number", changed_at=now
            )
    return rollcall


def do_close_overdue(*, now: dt.datetime | None = None) -> int:
    """Roll-calls past their deadline: the red wards (no answer) become tasks for their
    guardians (and their family is told). Each entry gets one task, however often it runs."""
    now = now or timezone.now()
    raised = 0
    for rollcall in RollCall.objects.filter(
        deadline__lte=now, tasks_raised=False, closed_at__isnull=True
    ):
        with transaction.atomic():
            if not RollCall.objects.filter(pk=rollcall.pk, tasks_raised=False).update(
                tasks_raised=True
            ):
                continue
            red = rollcall.entries.filter(state=RollCallEntry.State.PENDING, task__isnull=True)
            for entry in red.select_related("ward__resident__place"):
                _task_for_entry(rollcall, entry)
                raised += 1
    return raised


def _task_for_entry(rollcall: RollCall, entry: RollCallEntry) -> None:
    from linli.taskforce.models import Member, TaskForce
    from linli.taskforce.services import do_create_task

    ward = entry.ward
    community = _community_of(ward.resident.place)
    taskforce, _created = TaskForce.objects.get_or_create(community=community)
    guardian = ward.guardians.filter(role=Role.PRIMARY).select_related("volunteer__account").first()
    member = (
        Member.objects.filter(group__taskforce=taskforce, volunteer=guardian.volunteer).first()
        if guardian
        else None
    )
    task = do_create_task(
        actor=rollcall.started_by,
        taskforce=taskforce,
        title=_("Roll-call: visit ward %(ward)s now") % {"ward": ward.pk},
        description=_("No answer to the roll-call \u201c%(reason)s\u201d by the deadline.")
        % {"reason": rollcall.reason},
        assignee=member,
        priority="urgent",
        link=f"/guardianship/wards/{ward.pk}/",
    )
    RollCallEntry.objects.filter(pk=entry.pk).update(task=task)
    account = guardian.volunteer.account if guardian else None
    if account is not None and member is None:
        transaction.on_commit(
            lambda: notify(
                recipients=[account],
                kind="rollcall_red",
                title=_("Roll-call: please visit your ward now"),
                body=_("Ward %(ward)s has not answered the roll-call.") % {"ward": ward.pk},
                link=f"/guardianship/wards/{ward.pk}/",
            )
        )
    _notify_kin(ward, entry=entry)


# ---------------------------------------------------------------- family


def _notify_kin(
    ward: Ward, *, checkin: CheckIn | None = None, entry: RollCallEntry | None = None
) -> None:
    """Family who may act get an SMS with a one-time link to confirm the ward's safety."""
    for kin in Kin.objects.filter(resident_id=ward.resident_id, may_act=True):
        raw = make_kin_link(kin=kin, checkin=checkin, entry=entry)
        del raw  # the link goes out in the SMS template parameter (provider side)


def make_kin_link(*, kin: Kin, checkin: Any = None, entry: Any = None, hours: int = 24) -> str:
    """A one-time token for ``/reach/family/<token>/``; only its digest is stored."""
    raw = secrets.token_urlsafe(24)
    KinLink.objects.create(
        kin=kin,
        checkin=checkin,
        entry=entry,
        digest=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    return raw


def kin_link(raw: str) -> KinLink | None:
    link = (
        KinLink.objects.select_related("kin")
        .filter(digest=hashlib.sha256(raw.encode()).hexdigest())
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at < timezone.now():
        return None
    return link


def do_kin_confirm(*, raw: str, safe: bool) -> KinLink:
    """A family member confirms (or denies) the ward is safe; the link then stops working."""
    with transaction.atomic():
        link = kin_link(raw)
        if link is None or not KinLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        ):
            raise ReachError(_("This link was used already or has expired."))
        ward = Ward.objects.get(resident_id=link.kin.resident_id)
        _set_entries(ward.pk, SAFE if safe else HELP, "family")
        if link.checkin_id and safe:
            CheckIn.objects.filter(pk=link.checkin_id).update(escalated="resolved")
    return link
