"""Writes of checkpoint rostering: build, publish and re-roster; swaps; hours worked."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.roles import Can
from linli.domain.rostering.community import Problem
from linli.domain.rostering.community_solve import CommunityResult, solve_community
from linli.guardianship.models import Volunteer
from linli.jobs import runner
from linli.places.models import Place

from .models import (
    Notice,
    Roster,
    RosterShift,
    RosterStatus,
    ShiftType,
    ShiftWish,
    SwapKind,
    SwapRequest,
    SwapStatus,
    Unavailability,
    WorkedSpan,
)
from .problem import Index, RosterInputError, problem_for, shift_start

log = logging.getLogger(__name__)

BUILD_SECONDS = 10.0


class RosterError(ValueError):
    """A request that cannot be honoured; the message says why."""


def do_start_roster(
    *,
    actor: Any,
    community: Place,
    start: dt.date,
    days: int = 14,
    time_limit: float = BUILD_SECONDS,
) -> Roster:
    """Check the community can be rostered for the period, then build the roster in the
    background (job ``rostering.build``); the roster is ``building`` until the job ends."""
    try:
        problem_for(community, start, days)
    except RosterInputError as error:
        raise RosterError(str(error)) from error
    with transaction.atomic():
        version = 1 + max(
            (r.version for r in Roster.objects.filter(community=community, start=start)),
            default=0,
        )
        roster = Roster.objects.create(community=community, start=start, days=days, version=version)
        _enqueue_build(actor, roster, time_limit)
    return roster


def do_reroster(*, actor: Any, roster: Roster, time_limit: float = BUILD_SECONDS) -> Roster:
    """A new version of a published roster after a change (someone quarantined, a need
    added): days already past stay as they were, later days change as little as the
    new situation allows."""
    if roster.status != RosterStatus.PUBLISHED:
        raise RosterError(_("Only a published roster can be re-rostered."))
    with transaction.atomic():
        latest = Roster.objects.filter(community=roster.community, start=roster.start)
        version = 1 + max(r.version for r in latest)
        revision = Roster.objects.create(
            community=roster.community,
            start=roster.start,
            days=roster.days,
            version=version,
            based_on=roster,
        )
        _enqueue_build(actor, revision, time_limit)
    return revision


def _enqueue_build(actor: Any, roster: Roster, time_limit: float) -> None:
    job = runner.enqueue(
        "rostering.build",
        actor=actor,
        place=roster.community,
        params={"roster_id": roster.pk, "time_limit": time_limit},
    )
    Roster.objects.filter(pk=roster.pk).update(job=job)
    roster.job = job


@runner.job("rostering.build", cancel_capability=Can.MANAGE_ROSTER)
def build_roster_job(ctx: Any, *, roster_id: int, time_limit: float = BUILD_SECONDS) -> dict:
    """Solve the roster and store it as a draft (or mark it failed with the reason)."""
    roster = Roster.objects.select_related("community", "based_on").get(pk=roster_id)
    result = compute_roster(
        roster, time_limit=time_limit, progress=lambda step, text: ctx.progress(step, 3, text)
    )
    ctx.check_cancelled()
    ctx.progress(3, 3, _("Done"))
    return {"roster": roster.pk, "objective": result.objective, "shifts": len(result.placements)}


def do_build_roster_now(
    *,
    actor: Any,
    community: Place,
    start: dt.date,
    days: int = 14,
    time_limit: float = BUILD_SECONDS,
) -> Roster:
    """Build a draft roster in the caller's thread (the demo and commands; pages use
    ``do_start_roster``)."""
    try:
        problem_for(community, start, days)
    except RosterInputError as error:
        raise RosterError(str(error)) from error
    roster = Roster.objects.create(community=community, start=start, days=days)
    compute_roster(roster, time_limit=time_limit)
    roster.refresh_from_db()
    return roster


def compute_roster(roster: Roster, *, time_limit: float, progress: Any = None) -> CommunityResult:
    """Read the problem, solve it, and store the roster as a draft with its explanation."""
    report = progress or (lambda step, text: None)
    report(0, _("Reading the checkpoints, needs, rules and volunteers"))
    frozen = 0
    if roster.based_on is not None:
        frozen = max(0, min(roster.days, (timezone.localdate() - roster.start).days))
    try:
        problem, index = problem_for(
            roster.community,
            roster.start,
            roster.days,
            published=roster.based_on,
            frozen_before=frozen,
        )
    except RosterInputError as error:
        Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.FAILED, error=str(error))
        raise
    report(1, _("Solving (at most %(seconds)d s)") % {"seconds": time_limit})
    result = solve_community(problem, time_limit=time_limit, progress=lambda text: report(1, text))
    report(2, _("Storing the roster"))
    _store(roster, result, index, problem)
    log.info(
        "roster built id=%s objective=%s bound=%s seconds=%.1f",
        roster.pk,
        result.objective,
        result.bound,
        result.seconds,
    )
    return result


def _store(roster: Roster, result: CommunityResult, index: Index, problem: Problem) -> None:
    """Write the solver's roster; a revision copies the published shifts of days past and
    those already started or worked exactly as they were (whoever works them now)."""
    start = roster.start
    fixed = _fixed_shifts(roster, problem)
    taken = {(s.volunteer_id, s.day) for s in fixed}
    frozen_until = start + dt.timedelta(days=problem.frozen_before)
    rows = [
        RosterShift(
            roster=roster,
            volunteer=index.volunteers[p.person],
            day=start + dt.timedelta(days=p.day),
            shift_type=index.shift_types[p.slot],
            checkpoint=index.checkpoints[p.post],
            skill=p.skill,
        )
        for p in result.placements
    ]
    rows = [r for r in rows if r.day >= frozen_until and (r.volunteer.pk, r.day) not in taken]
    rows += [
        RosterShift(
            roster=roster,
            volunteer_id=s.volunteer_id,
            day=s.day,
            shift_type_id=s.shift_type_id,
            checkpoint_id=s.checkpoint_id,
            skill=s.skill,
        )
        for s in fixed
    ]
    terms = dict(result.terms)
    if roster.based_on is not None:
        before = {_key(s) for s in RosterShift.objects.filter(roster=roster.based_on)}
        terms["published_changed"] = len(before - {_key(r) for r in rows})
    with transaction.atomic():
        RosterShift.objects.filter(roster=roster).delete()
        RosterShift.objects.bulk_create(rows)
        shortfalls = [
            {
                "code": r.code,
                "post": index.checkpoints[r.post].name,
                "day": (start + dt.timedelta(days=r.day)).isoformat(),
                "shift": index.shift_types[r.slot].name,
                "skill": r.skill,
                "missing": r.missing,
                "available": r.available,
                "needed": r.needed,
            }
            for r in result.reasons
        ]
        Roster.objects.filter(pk=roster.pk).update(
            status=RosterStatus.DRAFT if not result.violations else RosterStatus.FAILED,
            objective=result.objective,
            bound=result.bound,
            seconds=round(result.seconds, 2),
            terms=terms | {"rounds": result.rounds},
            shortfalls=shortfalls,
            error="; ".join(str(v.detail) for v in result.violations[:5]),
        )


def _key(shift: RosterShift) -> tuple:
    return (shift.volunteer_id, shift.day, shift.shift_type_id, shift.checkpoint_id)


def _fixed_shifts(roster: Roster, problem: Problem) -> list[RosterShift]:
    """The published shifts a revision must keep as they are: on days past, or already
    started or worked."""
    if roster.based_on is None:
        return []
    frozen_until = roster.start + dt.timedelta(days=problem.frozen_before)
    return [
        s
        for s in RosterShift.objects.filter(roster=roster.based_on)
        if s.day < frozen_until
        or (str(s.volunteer_id), (s.day - roster.start).days) in problem.worked
    ]


def do_publish_roster(*, actor: Any, roster: Roster) -> Roster:
    """Publish a draft: it replaces the roster in force for the same period. On a first
    publication everyone rostered is told; on a revision, each volunteer whose shifts
    changed is told exactly which were taken away and which were given, and the hours
    already recorded follow the shifts that stayed."""
    from .selectors import roster_changes

    with transaction.atomic():
        locked = Roster.objects.select_for_update().get(pk=roster.pk)
        if locked.status != RosterStatus.DRAFT:
            raise RosterError(_("Only a draft roster can be published."))
        previous = list(
            Roster.objects.filter(
                community=locked.community, start=locked.start, status=RosterStatus.PUBLISHED
            )
        )
        changes = [c for old in previous for c in roster_changes(locked, old)]
        if previous:
            _carry_worked_spans(previous, locked)
        Roster.objects.filter(pk__in=[r.pk for r in previous]).update(
            status=RosterStatus.SUPERSEDED
        )
        locked.status = RosterStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        if previous:
            for change in changes:
                notify_volunteers([change.volunteer], _change_message(change))
        else:
            volunteers = Volunteer.objects.filter(
                pk__in=RosterShift.objects.filter(roster=locked).values("volunteer")
            )
            message = _("Your checkpoint shifts for %(first)s – %(last)s are published.") % {
                "first": locked.start.strftime("%m-%d"),
                "last": locked.end.strftime("%m-%d"),
            }
            notify_volunteers(volunteers, message)
    return locked


def _describe(shift: RosterShift) -> str:
    return f"{shift.day:%m-%d} {shift.shift_type.name} {shift.checkpoint.name}"


def _change_message(change: Any) -> str:
    """What changed for one volunteer, shift by shift."""
    parts = [_("Your checkpoint shifts changed.")]
    if change.removed:
        parts.append(
            _("No longer yours: %(shifts)s.")
            % {"shifts": "; ".join(_describe(s) for s in change.removed)}
        )
    if change.added:
        parts.append(
            _("New for you: %(shifts)s.")
            % {"shifts": "; ".join(_describe(s) for s in change.added)}
        )
    return " ".join(parts)


def _carry_worked_spans(previous: list[Roster], roster: Roster) -> None:
    """Hours checked in on a shift of the superseded roster move to the same shift (same
    volunteer and day) of the new one, so nobody checks in twice for it."""
    mine = {(s.volunteer_id, s.day): s.pk for s in RosterShift.objects.filter(roster=roster)}
    for span in WorkedSpan.objects.filter(shift__roster__in=previous).select_related("shift"):
        assert span.shift is not None
        new = mine.get((span.shift.volunteer_id, span.shift.day))
        if new is not None:
            WorkedSpan.objects.filter(pk=span.pk).update(shift_id=new)


def notify_volunteers(volunteers: Any, text: str) -> None:
    """Tell volunteers about their shifts: a notice on their shifts page, and through the
    notifications app when it is installed (sent after commit)."""
    volunteers = list(volunteers)
    Notice.objects.bulk_create([Notice(volunteer=v, text=text[:300]) for v in volunteers])
    accounts = [v.account for v in volunteers if v.account_id]
    if accounts:
        transaction.on_commit(lambda: _notify_accounts(accounts, text))


def _notify_accounts(accounts: list[Any], text: str) -> None:
    try:
        from linli.notifications.services import notify
    except ImportError:  # notifications not installed in this build: the notices suffice
        return
    notify(
        recipients=accounts,
        kind="roster_changed",
        title=_("Your shifts"),
        body=text,
        link="/rostering/my-shifts/",
    )


# --- swaps ------------------------------------------------------------------------


def do_request_swap(
    *, actor: Any, shift: RosterShift, partner: Volunteer, partner_shift: RosterShift | None
) -> SwapRequest:
    """Ask to give ``shift`` to ``partner`` (or swap it for ``partner_shift``). Only a
    partner the rules allow is accepted; the lead then approves."""
    from .swaps import swap_breaks

    if shift.roster.status != RosterStatus.PUBLISHED:
        raise RosterError(_("Shifts can be swapped only in a published roster."))
    if partner_shift is not None and (
        partner_shift.roster_id != shift.roster_id or partner_shift.volunteer_id != partner.pk
    ):
        raise RosterError(_("That shift is not the partner's."))
    broken = swap_breaks(shift, partner, partner_shift)
    if broken:
        raise RosterError(_("This swap breaks a rule: %(rule)s") % {"rule": broken[0]})
    with transaction.atomic():
        swap = SwapRequest.objects.create(
            shift=shift,
            kind=SwapKind.SWAP if partner_shift else SwapKind.GIVE,
            requester=shift.volunteer,
            partner=partner,
            partner_shift=partner_shift,
        )
        notify_volunteers(
            [partner],
            _("A colleague asks you to take their shift on %(day)s; the lead decides.")
            % {"day": shift.day.strftime("%m-%d")},
        )
    return swap


def do_decide_swap(*, actor: Any, swap: SwapRequest, approve: bool) -> SwapRequest:
    """The lead approves (the shifts change hands, re-checked against the rules at this
    moment) or rejects; both volunteers are told."""
    from .swaps import swap_breaks

    with transaction.atomic():
        swap = SwapRequest.objects.select_for_update().get(pk=swap.pk)
        if swap.status != SwapStatus.PENDING:
            raise RosterError(_("This swap has already been decided."))
        shift = RosterShift.objects.select_related("roster").get(pk=swap.shift_id)
        if approve:
            if shift.volunteer_id != swap.requester_id or shift.roster.status != (
                RosterStatus.PUBLISHED
            ):
                raise RosterError(_("The roster changed since the request; ask again."))
            broken = swap_breaks(shift, swap.partner, swap.partner_shift)
            if broken:
                raise RosterError(_("This swap now breaks a rule: %(rule)s") % {"rule": broken[0]})
            _apply_swap(shift, swap)
        swap.status = SwapStatus.APPROVED if approve else SwapStatus.REJECTED
        swap.decided_at = timezone.now()
        swap.decided_by = actor
        swap.save(update_fields=["status", "decided_at", "decided_by"])
        text = (
            _("The swap of the shift on %(day)s was approved.")
            if approve
            else _("The swap of the shift on %(day)s was not approved.")
        ) % {"day": shift.day.strftime("%m-%d")}
        notify_volunteers([swap.requester, swap.partner], text)
    return swap


def _apply_swap(shift: RosterShift, swap: SwapRequest) -> None:
    other = swap.partner_shift
    if other is None:
        shift.volunteer = swap.partner
        shift.save(update_fields=["volunteer"])
    elif other.day == shift.day:
        # Same day: exchange what each works, since (roster, volunteer, day) is unique.
        mine = (shift.shift_type_id, shift.checkpoint_id, shift.skill)
        theirs = (other.shift_type_id, other.checkpoint_id, other.skill)
        shift.shift_type_id, shift.checkpoint_id, shift.skill = theirs
        other.shift_type_id, other.checkpoint_id, other.skill = mine
        shift.save(update_fields=["shift_type", "checkpoint", "skill"])
        other.save(update_fields=["shift_type", "checkpoint", "skill"])
    else:
        shift.volunteer, other.volunteer = swap.partner, shift.volunteer
        shift.save(update_fields=["volunteer"])
        other.save(update_fields=["volunteer"])


# --- hours worked ----------------------------------------------------------------


def do_check_in(*, actor: Any, shift: RosterShift, now: dt.datetime | None = None) -> WorkedSpan:
    """Start the hours of a shift now (at the post): only for a shift of the roster in
    force, from the community's check-in window before its start (30 minutes unless set)
    until it ends."""
    from .problem import rules_of

    now = now or timezone.now()
    if shift.roster.status != RosterStatus.PUBLISHED:
        raise RosterError(_("This shift is not in the roster in force."))
    begins = shift_start(shift)
    ends = begins + dt.timedelta(minutes=shift.shift_type.minutes)
    opens = begins - dt.timedelta(minutes=rules_of(shift.roster.community).check_in_early_minutes)
    if now < opens:
        raise RosterError(
            _("Check-in opens at %(time)s, %(minutes)d minutes before the shift.")
            % {
                "time": timezone.localtime(opens).strftime("%m-%d %H:%M"),
                "minutes": (begins - opens).total_seconds() // 60,
            }
        )
    if now >= ends:
        raise RosterError(_("This shift has ended; the lead can confirm the hours worked."))
    with transaction.atomic():
        span, created = WorkedSpan.objects.get_or_create(
            shift=shift,
            defaults={
                "volunteer": shift.volunteer,
                "checkpoint": shift.checkpoint,
                "started_at": now,
            },
        )
        if not created:
            raise RosterError(_("Already checked in for this shift."))
    return span


def do_check_out(*, actor: Any, shift: RosterShift, now: dt.datetime | None = None) -> WorkedSpan:
    """End the hours of a shift checked in for."""
    with transaction.atomic():
        span = WorkedSpan.objects.select_for_update().filter(shift=shift).first()
        if span is None or span.ended_at is not None:
            raise RosterError(_("Not checked in for this shift."))
        span.ended_at = max(span.started_at, now or timezone.now())
        span.save(update_fields=["ended_at"])
    return span


def do_confirm_worked(*, actor: Any, shift: RosterShift) -> WorkedSpan:
    """The lead confirms the shift was worked as rostered (its clock times)."""
    start = timezone.make_aware(dt.datetime.combine(shift.day, shift.shift_type.start))
    end = start + dt.timedelta(minutes=shift.shift_type.minutes)
    with transaction.atomic():
        span, _created = WorkedSpan.objects.update_or_create(
            shift=shift,
            defaults={
                "volunteer": shift.volunteer,
                "checkpoint": shift.checkpoint,
                "started_at": start,
                "ended_at": end,
                "confirmed_by": actor,
            },
        )
    return span


# --- volunteers' own availability ---------------------------------------------------


def do_add_unavailability(
    *, actor: Any, volunteer: Volunteer, first_day: dt.date, last_day: dt.date, reason: str = ""
) -> Unavailability:
    """Days the volunteer cannot work; the next roster (or re-roster) leaves them off."""
    if last_day < first_day:
        raise RosterError(_("The last day is before the first day."))
    if first_day < timezone.localdate():
        raise RosterError(_("The first day is in the past."))
    return Unavailability.objects.create(
        volunteer=volunteer, first_day=first_day, last_day=last_day, reason=reason[:100]
    )


def do_add_wish(
    *,
    actor: Any,
    volunteer: Volunteer,
    day: dt.date,
    shift_type: ShiftType | None,
    wants: bool,
    weight: int,
) -> ShiftWish:
    """A wish to work (or not) a shift, or any shift, on a day; weight 1 (nice) to 3 (important)."""
    if not 1 <= weight <= 3:
        raise RosterError(_("The weight must be 1, 2 or 3."))
    if day < timezone.localdate():
        raise RosterError(_("The day is in the past."))
    if wants and shift_type is None:
        raise RosterError(_("Choose the shift you would like to work."))
    return ShiftWish.objects.create(
        volunteer=volunteer, day=day, shift_type=shift_type, wants=wants, weight=weight
    )


def do_export_roster(*, actor: Any, roster: Roster, reason: str, protected: bool) -> bytes:
    """The roster as an xlsx (volunteers' names by post and day), recorded in the audit trail
    with who, how many shifts and why."""
    from linli.common.audit import record_export

    from .export import roster_xlsx

    content = roster_xlsx(roster)
    with transaction.atomic():
        record_export(
            actor=actor,
            instance=roster,
            kind="roster.xlsx",
            rows=RosterShift.objects.filter(roster=roster).count(),
            reason=reason,
            protected=protected,
        )
    log.info("roster exported", extra={"roster": roster.pk, "protected": protected})
    return content
