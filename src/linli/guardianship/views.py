from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.views import next_url, requires
from linli.places.models import Level
from linli.places.selectors import access_place

from . import selectors, services
from .models import ContactMethod, Role, Trigger, VolunteerStatus
from .replan import do_replan_community


@requires(Can.VIEW_COVERAGE)
def coverage(request: HttpRequest, code: str) -> HttpResponse:
    place = access_place(request.user, code)
    if place.level not in {Level.CITY, Level.DISTRICT, Level.STREET}:
        context = {
            "place": place,
            "coverage": selectors.community_coverage(request.user, place),
            "can_manage": request.user.can(Can.MANAGE_GUARDIANS),
            "can_seal": request.user.can(Can.SEAL_COMPOUND),
            "compounds": selectors.compounds_of(request.user, place),
        }
        return render(request, "guardianship/coverage_community.html", context)
    total, rows = selectors.coverage_rollup(request.user, place)
    context = {"place": place, "total": total, "rows": rows}
    return render(request, "guardianship/coverage_rollup.html", context)


@require_POST
@requires(Can.MANAGE_GUARDIANS)
def replan(request: HttpRequest, code: str) -> HttpResponse:
    place = access_place(request.user, code)
    if place.level != Level.COMMUNITY:
        raise PermissionDenied
    do_replan_community(community=place, trigger=Trigger.BY_HAND, actor=request.user)
    return redirect("guardianship:coverage", code=place.code)


@requires(Can.LOG_CONTACT)
def ward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ward = selectors.access_ward(request.user, pk)
    can_manage = request.user.can(Can.MANAGE_GUARDIANS)
    guardian = selectors.is_guardian_of(request.user, ward)
    if not (can_manage or request.user.can(Can.VIEW_COVERAGE) or guardian):
        raise PermissionDenied
    context = {
        "ward": ward,
        "may_call_ward": guardian or can_manage,
        "guardians": ward.guardians.select_related("volunteer").order_by("role"),
        "contacts": ward.contacts.select_related("volunteer")[:20],
        "escalations": ward.escalations.all()[:10],
        "gaps": ward.gaps.all(),
        "can_manage": can_manage,
        "methods": ContactMethod.choices,
        "roles": Role.choices,
        "candidates": selectors.candidates_for(request.user, ward) if can_manage else [],
    }
    return render(request, "guardianship/ward.html", context)


@require_POST
@requires(Can.MANAGE_GUARDIANS)
def pin(request: HttpRequest, pk: int) -> HttpResponse:
    ward = selectors.access_ward(request.user, pk)
    role = request.POST.get("role", "")
    if role not in Role.values:
        return HttpResponse(status=400)
    if request.POST.get("volunteer"):
        try:
            volunteer = selectors.access_volunteer(request.user, int(request.POST["volunteer"]))
        except ValueError:
            return HttpResponse(status=400)
        try:
            services.do_pin_guardian(actor=request.user, ward=ward, role=role, volunteer=volunteer)
        except services.GuardianshipError as error:
            messages.error(request, str(error))
    else:
        services.do_unpin_guardian(actor=request.user, ward=ward, role=role)
    return redirect("guardianship:ward", pk=ward.pk)


@require_POST
@requires(Can.LOG_CONTACT)
def log_contact(request: HttpRequest, pk: int) -> HttpResponse:
    ward = selectors.access_ward(request.user, pk)
    if not (
        request.user.can(Can.MANAGE_GUARDIANS)
        or request.user.can(Can.VIEW_COVERAGE)
        or selectors.is_guardian_of(request.user, ward)
    ):
        raise PermissionDenied
    method = request.POST.get("method", "")
    if method not in ContactMethod.values:
        return HttpResponse(status=400)
    services.do_log_contact(
        actor=request.user,
        ward=ward,
        method=method,
        provided=request.POST.get("provided", ""),
        concerns=request.POST.get("concerns", ""),
        photo=request.FILES.get("photo"),
        client_id=request.POST.get("client_id", ""),
    )
    if request.htmx:
        return render(request, "guardianship/_partials/contact_logged.html", {"ward": ward})
    return redirect(next_url(request) or "guardianship:my_wards")


@requires(Can.LOG_CONTACT)
def my_wards(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "guardianship/my_wards.html",
        {"items": selectors.my_wards(request.user), "methods": ContactMethod.choices},
    )


@requires(Can.MANAGE_GUARDIANS)
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.access_volunteer(request.user, pk)
    context = {
        "volunteer": volunteer,
        "assignments": volunteer.assignments.select_related("ward__resident"),
        "history": volunteer.status_history.all()[:20],
        "statuses": VolunteerStatus.choices,
    }
    return render(request, "guardianship/volunteer.html", context)


@require_POST
@requires(Can.MANAGE_GUARDIANS)
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = selectors.access_volunteer(request.user, pk)
    try:
        result = services.do_set_volunteer_status(
            actor=request.user,
            volunteer=volunteer,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", "")[:200],
        )
    except services.GuardianshipError as error:
        messages.error(request, str(error))
        return redirect("guardianship:volunteer", pk=volunteer.pk)
    if result is not None:
        messages.success(request, selectors.describe_plan(result))
    return redirect("guardianship:volunteer", pk=volunteer.pk)
