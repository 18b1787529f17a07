"""Every write to service requests: intake (triage and routing), taking a case, notes, status,
closing, escalation, and the frontline wellbeing check-in. ``now`` is the injectable clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain.services import limits as limits_rules
from linli.domain.services import routing
from linli.domain.services.triage import triage
from linli.domain.services.wellbeing import score
from linli.offline.conflict import check_base

from . import problem
from .models import (
    CaseEscalation,
    CaseNote,
    Category,
    Contact,
    Professional,
    ServiceRequest,
    Status,
    Urgency,
    WellbeingCheckIn,
)

MAX_DESCRIPTION = 2000


class ServiceError(ValueError):
    """A request or a change that cannot be made, saying what and where."""


def _choice(value: Any, choices: Any, what: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if value not in choices.values:
        raise ServiceError(
            _("%(what)s: “%(value)s” is not one of %(allowed)s")
            % {"what": what, "value": value, "allowed": ", ".join(choices.values)}
        )
    return value


def _clean_request(fields: dict[str, Any]) -> dict[str, Any]:
    description = (fields.get("description") or "").strip()
    if not description:
        raise ServiceError(_("Description: say what help is needed"))
    if len(description) > MAX_DESCRIPTION:
        raise ServiceError(
            _("Description: at most %(n)s characters (got %(got)s)")
            % {"n": MAX_DESCRIPTION, "got": len(description)}
        )
    return {
        "category": _choice(fields.get("category"), Category, _("Category")),
        "description": description,
        "urgency_asked": _choice(fields.get("urgency") or "normal", Urgency, _("Urgency")),
        "preferred_contact": _choice(
            fields.get("preferred_contact") or "phone", Contact, _("Preferred contact")
        ),
        "preferred_times": (fields.get("preferred_times") or "").strip()[:100],
        "language": (fields.get("language") or "").strip()[:16],
        "guardian_consent": bool(fields.get("guardian_consent")),
        "psych_consent": bool(fields.get("guardian_consent")) and bool(fields.get("psych_consent")),
    }


def do_create_request(
    *,
    actor: Any,
    place: Any,
    channel: str,
    fields: dict[str, Any],
    resident: Any = None,
    worker: Any = None,
    contact_name: str = "",
    contact_phone: str = "",
    link_key: str = "",
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """File a request for ``resident`` (or frontline ``worker``) living at ``place``: triage
    raises its urgency (and records why), routing assigns a professional of the team bound to
    the community or queues it with a reason. A critical request tells the on-duty lead at
    once (the community secretary when no team serves the community)."""
    now = now or timezone.now()
    data = _clean_request(fields)
    community = place.code[:12]
    result = triage(
        description=data["description"],
        category=data["category"],
        asked=data["urgency_asked"],
        flags=problem.risk_flags(resident),
        rules=problem.rules_for(community),
    )
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            place=place,
            resident=resident,
            worker=worker,
            contact_name=contact_name.strip()[:64],
            contact_phone=contact_phone.strip()[:32],
            urgency=result.urgency,
            triage_reasons=[list(r) for r in result.reasons],
            channel=channel,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            link_key=link_key,
            created_at=now,
            **data,
        )
        _route(request, now)
        if request.urgency == Urgency.CRITICAL:
            transaction.on_commit(lambda: _tell_critical(request.pk, now))
    return request


def _route(request: ServiceRequest, now: dt.datetime) -> routing.Route:
    """Assign the request by linli.domain.services.routing; the chosen professional's row is
    locked and the choice re-made under the lock, so two requests never push one person past
    their load limit."""
    community = request.community_code
    teams, people = problem.routing_problem(community)
    ask = routing.Ask(request.category, community, request.language)
    choice = routing.route(ask, teams, people, problem.local(now))
    if choice.professional is not None:
        list(
            Professional.objects.select_for_update()
            .filter(pk__in=[p.id for p in people])
            .order_by("pk")
        )
        teams, people = problem.routing_problem(community)
        choice = routing.route(ask, teams, people, problem.local(now))
    request.team_id = choice.team
    if choice.professional is not None:
        request.professional_id = choice.professional
        request.status = Status.ASSIGNED
        request.assigned_at = now
        request.queue_reason = ""
        transaction.on_commit(lambda: _tell_assigned(request.pk))
    else:
        request.queue_reason = choice.reason
    request.save(update_fields=["team", "professional", "status", "assigned_at", "queue_reason"])
    return choice


def do_route_queued(*, now: dt.datetime | None = None, community_code: str = "") -> int:
    """Try again to assign every open request nobody has yet (someone's hours began, a case
    closed, a professional joined), most urgent and oldest first. Returns how many found one."""
    now = now or timezone.now()
    waiting = ServiceRequest.objects.filter(professional__isnull=True).exclude(status=Status.CLOSED)
    if community_code:
        waiting = waiting.filter(place__code__startswith=community_code)
    order = {Urgency.CRITICAL: 0, Urgency.URGENT: 1, Urgency.NORMAL: 2}
    assigned = 0
    for request in sorted(
        waiting.select_related("place"), key=lambda r: (order[r.urgency], r.created_at, r.pk)
    ):
        with transaction.atomic():
            locked = (
                ServiceRequest.objects.select_for_update()
                .select_related("place")
                .filter(pk=request.pk, professional__isnull=True)
                .exclude(status=Status.CLOSED)
                .first()
            )
            if locked is not None and not _route(locked, now).queued:
                assigned += 1
    return assigned


def _secretaries(community_code: str) -> list[Any]:
    from linli.accounts.models import User

    return list(
        User.objects.filter(role="community_secretary", place__code=community_code, is_active=True)
    )


def _tell_critical(request_id: int, now: dt.datetime) -> None:
    from linli.notifications.services import notify

    request = ServiceRequest.objects.select_related("team__lead__user", "team__deputy__user").get(
        pk=request_id
    )
    lead = problem.on_duty_lead(request.team, now)
    recipients = [lead] if lead else _secretaries(request.community_code)
    notify(
        recipients=recipients,
        kind="service_critical",
        title=_("Critical service request #%(id)s") % {"id": request.pk},
        body=_("Respond within %(minutes)s minutes.")
        % {"minutes": problem.limits_for(request.community_code).response["critical"]},
        link=f"/services/cases/{request.pk}/",
    )


def _tell_assigned(request_id: int) -> None:
    from linli.notifications.services import notify

    request = ServiceRequest.objects.select_related("professional__user").get(pk=request_id)
    if request.professional is None:
        return
    notify(
        recipients=[request.professional.user],
        kind="service_assigned",
        title=_("A service request was assigned to you (#%(id)s)") % {"id": request.pk},
        link=f"/services/cases/{request.pk}/",
    )


def _qualified_member(actor: Any, request: ServiceRequest) -> Professional:
    professional = Professional.objects.filter(user=actor, active=True).first()
    if professional is None:
        raise ServiceError(_("Only an active professional volunteer can take a case"))
    if professional.kind not in routing.QUALIFIED[request.category]:
        raise ServiceError(
            _("A %(kind)s cannot take a request for %(category)s")
            % {
                "kind": professional.get_kind_display(),
                "category": request.get_category_display(),
            }
        )
    bound = problem.teams_bound_to(request.community_code).filter(members=professional)
    if not bound.exists():
        raise ServiceError(_("You are not in a team that serves this community"))
    return professional


def do_take_case(*, actor: Any, request: ServiceRequest, now: dt.datetime | None = None):
    """A professional takes a queued case, or accepts the one assigned to them: they are now
    in contact, which is the first response."""
    now = now or timezone.now()
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == Status.CLOSED:
            raise ServiceError(_("This request is closed"))
        professional = _qualified_member(actor, request)
        if request.professional_id not in (None, professional.pk):
            raise ServiceError(_("Another professional has this case"))
        if request.professional_id is None:
            team = (
                problem.teams_bound_to(request.community_code).filter(members=professional).first()
            )
            request.professional = professional
            request.team = team
            request.assigned_at = now
            request.queue_reason = ""
        if request.status in (Status.NEW, Status.ASSIGNED):
            request.status = Status.IN_CONTACT
        request.first_response_at = request.first_response_at or now
        request.save()
    return request


FOLLOWING = {Status.IN_CONTACT, Status.FOLLOW_UP}


def _handler(actor: Any, request: ServiceRequest) -> None:
    from .selectors import relations

    if not relations(actor, request) & {"professional", "lead"}:
        raise ServiceError(_("Only the professional on the case or their team lead can do this"))


def do_set_status(
    *,
    actor: Any,
    request: ServiceRequest,
    status: str,
    base_status: str | None = None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Move an open case between "in contact" and "follow-up" (closing has its own service).

    ``base_status`` is the status the writer saw (a phone's outbox sends it): when someone
    changed it meanwhile, Conflict (409) instead of overwriting their change.
    """
    now = now or timezone.now()
    if status not in FOLLOWING:
        raise ServiceError(_("Status: choose in contact or follow-up"))
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        _handler(actor, request)
        if request.status == Status.CLOSED:
            raise ServiceError(_("This request is closed"))
        check_base(
            {"status": base_status},
            {"status": request.status},
            {"status": status},
            labels={"status": _("status")},
            shown=dict(Status.choices),
        )
        request.status = status
        request.first_response_at = request.first_response_at or now
        request.save(update_fields=["status", "first_response_at"])
    return request


def do_add_note(
    *,
    actor: Any,
    request: ServiceRequest,
    text: str,
    shareable: bool = False,
    psychological: bool | None = None,
    now: dt.datetime | None = None,
) -> CaseNote:
    """A case note by the professional or their lead. Notes of a psychological case hold
    psychological details unless the writer says otherwise."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Note: write something"))
    if len(text) > 5000:
        raise ServiceError(_("Note: at most 5000 characters"))
    _handler(actor, request)
    if psychological is None:
        psychological = request.category == Category.PSYCHOLOGICAL
    return CaseNote.objects.create(
        request=request,
        author=actor,
        text=text,
        shareable=bool(shareable),
        psychological=bool(psychological),
        created_at=now,
    )


def do_close_case(
    *,
    actor: Any,
    request: ServiceRequest,
    outcome: str,
    rating: Any = None,
    now: dt.datetime | None = None,
) -> ServiceRequest:
    """Close with the outcome and, when the person gave one, their rating (1–5)."""
    now = now or timezone.now()
    outcome = (outcome or "").strip()
    if not outcome:
        raise ServiceError(_("Outcome: say how the request ended"))
    value = None
    if rating not in (None, ""):
        try:
            value = int(rating)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ServiceError(_("Rating: 1 to 5 (got %(value)s)") % {"value": rating})
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        _handler(actor, request)
        if request.status == Status.CLOSED:
            raise ServiceError(_("This request is closed"))
        request.status = Status.CLOSED
        request.outcome = outcome[:300]
        request.rating = value
        request.closed_at = now
        request.first_response_at = request.first_response_at or now
        request.save()
    # the professional has room again: a waiting request of the community may be theirs
    transaction.on_commit(lambda: do_route_queued(now=now, community_code=request.community_code))
    return request


def case_clock(request: ServiceRequest, escalated=frozenset()) -> limits_rules.CaseClock:
    return limits_rules.CaseClock(
        case=request.pk,
        urgency=request.urgency,
        created_at=request.created_at,
        assigned=request.professional_id is not None,
        first_response_at=request.first_response_at,
        closed_at=request.closed_at,
        escalated=frozenset(escalated),
    )


def do_escalate_cases(*, now: dt.datetime | None = None) -> int:
    """Open the escalations whose time has come (linli.domain.services.limits) and tell the
    team lead or the community secretary. Each (case, kind, level) is inserted once — a
    unique constraint — so two workers never both send. Returns how many were opened."""
    now = now or timezone.now()
    open_cases = list(
        ServiceRequest.objects.exclude(status=Status.CLOSED)
        .select_related("place")
        .prefetch_related("escalations")
    )
    clocks = {
        r.pk: case_clock(r, {(e.kind, e.level) for e in r.escalations.all()}) for r in open_cases
    }
    by_id = {r.pk: r for r in open_cases}
    cache: dict[str, limits_rules.Limits] = {}

    def limits_of(clock: limits_rules.CaseClock) -> limits_rules.Limits:
        code = by_id[clock.case].community_code
        if code not in cache:
            cache[code] = problem.limits_for(code)
        return cache[code]

    opened = 0
    for action in limits_rules.escalations(list(clocks.values()), now, limits_of):
        try:
            with transaction.atomic():
                escalation = CaseEscalation.objects.create(
                    request_id=action.case,
                    kind=action.kind,
                    level=action.level,
                    reason=action.reason,
                    due_at=action.due_at,
                    opened_at=now,
                )
        except IntegrityError:
            continue  # another worker opened it
        opened += 1
        _tell_escalation(escalation, now)
    return opened


def _tell_escalation(escalation: CaseEscalation, now: dt.datetime) -> None:
    from linli.notifications.services import notify

    request = ServiceRequest.objects.select_related(
        "team__lead__user", "team__deputy__user", "place"
    ).get(pk=escalation.request_id)
    if escalation.level == CaseEscalation.Level.LEAD:
        team = request.team or problem.teams_bound_to(request.community_code).first()
        lead = problem.on_duty_lead(team, now)
        recipients = [lead] if lead else _secretaries(request.community_code)
    else:
        recipients = _secretaries(request.community_code)
    if escalation.kind == CaseEscalation.EscalationKind.RESPONSE:
        if escalation.reason == "queued":
            title = _("Service request #%(id)s: nobody could take it") % {"id": request.pk}
        else:
            title = _("Service request #%(id)s: no first response in time") % {"id": request.pk}
    else:
        title = _("Service request #%(id)s: not resolved in time") % {"id": request.pk}
    if recipients:
        notify(
            recipients=recipients,
            kind="service_overdue",
            title=title,
            body=_("%(urgency)s; the limit passes at %(due)s.")
            % {
                "urgency": request.get_urgency_display(),
                "due": timezone.localtime(escalation.due_at).strftime("%H:%M"),
            },
            link=f"/services/cases/{request.pk}/",
        )


# Frontline wellbeing ---------------------------------------------------------------------


def hours_worked(user: Any, now: dt.datetime, days: int = 7) -> float:
    """Hours at checkpoints in the ``days`` before ``now`` (linli.rostering's worked spans)."""
    from linli.rostering.models import WorkedSpan

    volunteer = getattr(user, "volunteer", None)
    if volunteer is None:
        return 0.0
    start = now - dt.timedelta(days=days)
    total = 0.0
    for span in WorkedSpan.objects.filter(volunteer=volunteer, started_at__lt=now).exclude(
        ended_at__lte=start
    ):
        end = min(span.ended_at or now, now)
        total += max(0.0, (end - max(span.started_at, start)).total_seconds() / 3600)
    return round(total, 1)


def _leads_of(user: Any) -> list[Any]:
    """Who looks after a frontline worker: the task-force leads of their community (for
    volunteers), else its secretaries — never the worker themselves."""
    from linli.accounts.models import User

    community = user.place.code[:12]
    roles = ["taskforce_lead"] if user.role == "volunteer" else []
    roles.append("community_secretary")
    for role in roles:
        found = list(
            User.objects.filter(role=role, place__code=community, is_active=True).exclude(
                pk=user.pk
            )
        )
        if found:
            return found
    return []


def do_check_in(
    *, actor: Any, answers: dict[str, Any], now: dt.datetime | None = None
) -> WellbeingCheckIn:
    """Score the PHQ-2 and GAD-2 answers with the hours worked. When rest is needed the
    person's lead is told that — and only that: no answers, no scores."""
    from linli.notifications.services import notify

    now = now or timezone.now()
    hours = hours_worked(actor, now)
    for number, item in enumerate(("phq1", "phq2", "gad1", "gad2"), start=1):
        if str(answers.get(item, "")).strip() not in {"0", "1", "2", "3"}:
            raise ServiceError(_("Question %(n)s: choose one of the four answers") % {"n": number})
    try:
        result = score(answers, hours)
    except ValueError as error:
        raise ServiceError(str(error)) from None
    with transaction.atomic():
        checkin = WellbeingCheckIn.objects.create(
            user=actor,
            at=now,
            phq2=result.phq2,
            gad2=result.gad2,
            hours_7d=hours,
            rest_needed=result.rest_needed,
            support_offered=result.offer_support,
        )
        if result.rest_needed:
            leads = _leads_of(actor)
            name = actor.get_full_name() or actor.username
            transaction.on_commit(
                lambda: (
                    notify(
                        recipients=leads,
                        kind="rest_needed",
                        title=_("%(name)s needs rest") % {"name": name},
                        body=_("Please give them time off soon."),
                    )
                    if leads
                    else None
                )
            )
    return checkin


def do_ask_support(*, actor: Any, checkin: WellbeingCheckIn, now: dt.datetime | None = None):
    """The support a check-in offered, taken up: a psychological request for the worker."""
    if checkin.user_id != actor.pk or not checkin.support_offered:
        raise ServiceError(_("This check-in offered no support request"))
    return do_create_request(
        actor=actor,
        place=actor.place,
        channel="self",
        worker=actor,
        fields={
            "category": Category.PSYCHOLOGICAL,
            "description": _("Frontline worker asks for psychological support after a check-in"),
            "urgency": Urgency.URGENT,
            "preferred_contact": Contact.PHONE,
        },
        now=now,
    )


CHECK_IN_EVERY = dt.timedelta(days=7)


def do_remind_check_ins(*, now: dt.datetime | None = None) -> int:
    """Invite every frontline account (community workers and volunteers) whose last check-in,
    and last invitation, are a week old or more. Returns how many were invited."""
    from linli.accounts.models import User
    from linli.accounts.roles import ROLE_CAN, Can
    from linli.notifications.models import Notification
    from linli.notifications.services import notify

    now = now or timezone.now()
    since = now - CHECK_IN_EVERY
    roles = [
        r for r, caps in ROLE_CAN.items() if Can.WELLBEING_CHECKIN in caps and r != "system_admin"
    ]
    due = (
        User.objects.filter(role__in=roles, is_active=True)
        .exclude(wellbeing_checkins__at__gte=since)
        .exclude(
            pk__in=Notification.objects.filter(
                kind="wellbeing_checkin", created_at__gte=since
            ).values("recipient")
        )
    )
    people = list(due)
    if people:
        notify(
            recipients=people,
            kind="wellbeing_checkin",
            title=_("How are you? Four questions, one minute"),
            body=_("Only you see your answers."),
            link="/services/wellbeing/",
        )
    return len(people)
