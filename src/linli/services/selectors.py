"""Scoped reads of service requests. A case is reached through a relation to it — the
professional on it, their team lead, the person's guardian, the frontline worker it is for,
or a manager of the community — and each relation sees its own part:

- the professional and their lead read every note;
- the guardian reads notes marked shareable when the person agreed, and psychological
  details only with the person's further consent;
- managers (community secretaries, coordinators, administrators) and the worker themselves
  see the case's course, never a note; nobody else sees anything.

Every read of a note is audited (an ACCESS log entry per note).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from linli.accounts.roles import Can
from linli.common.audit import record_reveal
from linli.common.scope import in_scope, scoped
from linli.domain.services import limits as limits_rules

from . import problem
from .models import (
    CaseEscalation,
    CaseNote,
    Category,
    Professional,
    ServiceRequest,
    Status,
    Team,
    Urgency,
)

NOTE_READERS = {"professional", "lead", "guardian"}


def _professional(actor: Any) -> Professional | None:
    if not getattr(actor, "is_authenticated", False) or not actor.can(Can.TAKE_CASES):
        return None
    return Professional.objects.filter(user=actor).first()


def relations(actor: Any, request: ServiceRequest) -> set[str]:
    """How ``actor`` stands to the case (an empty set: not at all)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return set()
    found = set()
    professional = _professional(actor)
    if professional is not None:
        if request.professional_id == professional.pk:
            found.add("professional")
        if (
            request.team_id
            and Team.objects.filter(pk=request.team_id)
            .filter(Q(lead=professional) | Q(deputy=professional))
            .exists()
        ):
            found.add("lead")
    if request.worker_id and request.worker_id == actor.pk:
        found.add("worker")
    if request.created_by_id and request.created_by_id == actor.pk:
        found.add("filer")  # the grid worker or guardian who filed it: its course, no notes
    if request.resident_id and _guards(actor, request.resident_id):
        found.add("guardian")
    if (
        actor.can(Can.MANAGE_SERVICES)
        and in_scope(actor, request.place.code)
        and not _private_to_workers_lead(request)
    ):
        found.add("manager")
    return found


def _private_to_workers_lead(request: ServiceRequest) -> bool:
    """A frontline worker's own psychological request stays out of their managers' sight
    (their lead may be one) until it has been escalated to the community secretary."""
    return (
        request.worker_id is not None
        and request.category == Category.PSYCHOLOGICAL
        and not request.escalations.filter(level="secretary").exists()
    )


def _guards(actor: Any, resident_id: int) -> bool:
    from linli.guardianship.models import Assignment

    return Assignment.objects.filter(
        ward__resident_id=resident_id, volunteer__account=actor
    ).exists()


def may_take(actor: Any, request: ServiceRequest) -> bool:
    """A professional of a team bound to the community may take a queued case."""
    professional = _professional(actor)
    if professional is None or request.status == Status.CLOSED:
        return False
    if request.professional_id is not None:
        return request.professional_id == professional.pk and request.status == Status.ASSIGNED
    return problem.teams_bound_to(request.community_code).filter(members=professional).exists()


@dataclass
class CaseView:
    request: ServiceRequest
    relations: set[str]
    show_description: bool
    may_take: bool
    may_handle: bool
    may_read_notes: bool


def access_request(actor: Any, request_id: int) -> CaseView:
    """The case as ``actor`` may see it: 404 outside the actor's places with no relation to
    it, 403 inside them with none (a queued case is open to the professionals who may take it)."""
    request = (
        ServiceRequest.objects.select_related("place", "professional__user", "team", "resident")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise Http404
    found = relations(actor, request)
    takeable = may_take(actor, request)
    if not found and not takeable:
        if in_scope(actor, request.place.code):
            raise PermissionDenied
        raise Http404
    handling = bool(found & {"professional", "lead"})
    return CaseView(
        request=request,
        relations=found,
        # The person's own words about their mind are for the people treating them.
        show_description=handling
        or takeable
        or bool(found & {"worker", "filer"})
        or (request.category != Category.PSYCHOLOGICAL and "manager" in found),
        may_take=takeable,
        may_handle=handling and request.status != Status.CLOSED,
        may_read_notes=bool(found & NOTE_READERS),
    )


def notes_for(actor: Any, view: CaseView) -> list[CaseNote]:
    """The notes this actor may read of the case, each read recorded in the audit log."""
    found = view.relations
    request = view.request
    if found & {"professional", "lead"}:
        notes = list(request.notes.all())
    elif "guardian" in found and request.guardian_consent:
        notes = [
            n
            for n in request.notes.all()
            if n.shareable and (not n.psychological or request.psych_consent)
        ]
    else:
        notes = []
    for note in notes:
        record_reveal(actor=actor, instance=note, field="text", reason="case note read")
    return notes


def my_cases(actor: Any) -> QuerySet[ServiceRequest]:
    professional = _professional(actor)
    if professional is None:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(professional=professional)
        .exclude(status=Status.CLOSED)
        .select_related("place")
    )


def queue_for(actor: Any) -> list[ServiceRequest]:
    """Unassigned open requests of the communities the actor's teams serve, that they may take."""
    professional = _professional(actor)
    if professional is None:
        return []
    codes = list(
        Team.objects.filter(members=professional).values_list("communities__code", flat=True)
    )
    if not codes:
        return []
    where = Q()
    for code in codes:
        where |= Q(place__code__startswith=code)
    waiting = (
        ServiceRequest.objects.filter(where, professional__isnull=True)
        .filter(category__in=_categories(professional))
        .exclude(status=Status.CLOSED)
        .select_related("place")
    )
    return list(waiting)


def _categories(professional: Professional) -> set[str]:
    from linli.domain.services.routing import QUALIFIED

    return {c for c, kinds in QUALIFIED.items() if professional.kind in kinds}


def supervised(actor: Any) -> QuerySet[ServiceRequest]:
    professional = _professional(actor)
    if professional is None:
        return ServiceRequest.objects.none()
    teams = Team.objects.filter(Q(lead=professional) | Q(deputy=professional))
    return (
        ServiceRequest.objects.filter(team__in=teams)
        .exclude(status=Status.CLOSED)
        .select_related("place", "professional__user")
    )


def guarded(actor: Any) -> QuerySet[ServiceRequest]:
    """Requests of the people the actor is a guardian of."""
    from linli.guardianship.models import Assignment

    residents = Assignment.objects.filter(volunteer__account=actor).values("ward__resident")
    return ServiceRequest.objects.filter(resident__in=residents)


def wards_guarded_by(actor: Any) -> list:
    """The residents the actor is a guardian (primary or backup) of."""
    from linli.register.models import Resident

    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        Resident.objects.filter(ward__guardians__volunteer__account=actor)
        .distinct()
        .select_related("place")
    )


def own(actor: Any) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(worker=actor)


def managed(actor: Any) -> QuerySet[ServiceRequest]:
    if not actor.can(Can.MANAGE_SERVICES):
        return ServiceRequest.objects.none()
    escalated = CaseEscalation.objects.filter(request=OuterRef("pk"), level="secretary")
    return (
        scoped(ServiceRequest, actor)
        .exclude(Q(worker__isnull=False, category=Category.PSYCHOLOGICAL) & ~Exists(escalated))
        .select_related("place", "professional__user")
    )


# Dashboard ---------------------------------------------------------------------------------


@dataclass
class Dashboard:
    open_by_urgency: dict[str, Counter] = field(default_factory=dict)  # urgency → age → n
    response: dict[str, Counter] = field(default_factory=dict)  # urgency → state → n
    median_response_minutes: dict[str, float | None] = field(default_factory=dict)
    by_community: list[tuple[str, int, int]] = field(default_factory=list)  # name, open, overdue
    by_team: list[tuple[str, int, int]] = field(default_factory=list)
    load: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, kind, open, limit
    queued: int = 0
    open_rows: list[tuple[str, str, int]] = field(default_factory=list)  # urgency, age, n
    response_rows: list[tuple] = field(default_factory=list)


def dashboard(actor: Any, *, now: dt.datetime | None = None, days: int = 30) -> Dashboard:
    """Counts only (no person, no words): open requests by urgency and age, first responses
    against the limits, load per professional, per community and per team, in the actor's
    places, over the requests of the last ``days`` days and every open one."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    rows = list(
        scoped(ServiceRequest, actor)
        .filter(Q(created_at__gte=since) | ~Q(status=Status.CLOSED))
        .select_related("place")
    )
    board = Dashboard()
    urgencies = ("critical", "urgent", "normal")
    board.open_by_urgency = {u: Counter() for u in urgencies}
    board.response = {u: Counter() for u in urgencies}
    waits: dict[str, list[float]] = defaultdict(list)
    limits: dict[str, limits_rules.Limits] = {}
    communities: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    teams: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        code = r.community_code
        if code not in limits:
            limits[code] = problem.limits_for(code)
        clock = limits_rules.CaseClock(
            r.pk, r.urgency, r.created_at, r.professional_id is not None, r.first_response_at
        )
        state = limits_rules.response_state(clock, now, limits[code])
        board.response[r.urgency][state] += 1
        if r.first_response_at:
            waits[r.urgency].append((r.first_response_at - r.created_at).total_seconds() / 60)
        if r.status == Status.CLOSED:
            continue
        board.open_by_urgency[r.urgency][limits_rules.age_bucket(r.created_at, now)] += 1
        overdue = int(state == "overdue")
        communities[code][0] += 1
        communities[code][1] += overdue
        teams[r.team_id][0] += 1
        teams[r.team_id][1] += overdue
        board.queued += int(r.professional_id is None)
    for u in urgencies:
        values = sorted(waits[u])
        board.median_response_minutes[u] = values[len(values) // 2] if values else None
        states = board.response[u]
        board.response_rows.append(
            (
                Urgency(u).label,
                states["met"],
                states["missed"],
                states["waiting"],
                states["overdue"],
                board.median_response_minutes[u],
            )
        )
        board.open_rows += [
            (Urgency(u).label, age, n) for age, n in sorted(board.open_by_urgency[u].items())
        ]
    from linli.places.models import Place

    names = dict(Place.objects.filter(code__in=communities).values_list("code", "name"))
    board.by_community = [(names.get(c, c), *v) for c, v in sorted(communities.items())]
    team_names = dict(Team.objects.filter(pk__in=[t for t in teams if t]).values_list("pk", "name"))
    board.by_team = [
        (team_names.get(t, "—") if t else "—", *v)
        for t, v in sorted(teams.items(), key=lambda x: x[0] or 0)
    ]
    served = Team.objects.filter(communities__code__startswith=actor.place.code).values("members")
    people = problem.with_load(Professional.objects.filter(pk__in=served)).select_related("user")
    board.load = [
        (
            p.user.get_full_name() or p.user.username,
            p.get_kind_display(),
            p.open_cases,
            p.load_limit,
        )
        for p in people.order_by("pk")
    ]
    return board
