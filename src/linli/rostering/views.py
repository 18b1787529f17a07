"""Pages of checkpoint rostering: the lead's roster pages and the volunteer's shifts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.dates import parse_day
from linli.common.exports import ExportForm, export_response
from linli.common.views import requires
from linli.guardianship.selectors import access_volunteer

from . import reasons, selectors, services
from .models import RosterStatus
from .problem import community_fatigue, rules_of


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


@requires(Can.MANAGE_ROSTER)
def community(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.access_community(request.user, code)
    context = {
        "place": place,
        "rosters": selectors.rosters_of(request.user, place)[:20],
        "next_monday": _next_monday(timezone.localdate()),
        "rules": rules_of(place),
    }
    return render(request, "rostering/community.html", context)


@require_POST
@requires(Can.MANAGE_ROSTER)
def build(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.access_community(request.user, code)
    try:
        start = parse_day(request.POST.get("start", ""))
        days = int(request.POST.get("days", "14"))
        roster = services.do_start_roster(
            actor=request.user, community=place, start=start, days=days
        )
    except ValueError as error:  # a bad date or a RosterError: say what and where
        messages.error(request, str(error))
        return redirect("rostering:community", code=place.code)
    return redirect("jobs:detail", pk=roster.job.pk)


@requires(Can.MANAGE_ROSTER)
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roster = selectors.access_roster(request.user, pk)
    context = {
        "export_form": ExportForm(),
        "roster": roster,
        "grid": selectors.roster_grid(roster),
        "reasons": [reasons.describe(item) for item in roster.shortfalls],
        "swaps": selectors.pending_swaps(request.user, roster),
        "changes": (
            selectors.roster_changes(roster) if roster.status == RosterStatus.DRAFT else []
        ),
        "gap": (
            (roster.objective - roster.bound) / max(1, roster.objective)
            if roster.objective is not None and roster.bound is not None
            else None
        ),
    }
    return render(request, "rostering/roster.html", context)


@require_POST
@requires(Can.MANAGE_ROSTER)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    roster = selectors.access_roster(request.user, pk)
    try:
        services.do_publish_roster(actor=request.user, roster=roster)
        messages.success(request, _("Published; the volunteers have been told."))
    except services.RosterError as error:
        messages.error(request, str(error))
    return redirect("rostering:roster", pk=roster.pk)


@require_POST
@requires(Can.MANAGE_ROSTER)
def reroster(request: HttpRequest, pk: int) -> HttpResponse:
    roster = selectors.access_roster(request.user, pk)
    try:
        revision = services.do_reroster(actor=request.user, roster=roster)
    except services.RosterError as error:
        messages.error(request, str(error))
        return redirect("rostering:roster", pk=roster.pk)
    return redirect("jobs:detail", pk=revision.job.pk)


@requires(Can.MANAGE_ROSTER)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    roster = selectors.access_roster(request.user, pk)
    return export_response(
        request,
        what=_("The roster of %(community)s from %(first)s (version %(version)d).")
        % {
            "community": roster.community.name,
            "first": roster.start.isoformat(),
            "version": roster.version,
        },
        file_name=f"roster-{roster.community.code}-{roster.start:%Y%m%d}-v{roster.version}.xlsx",
        produce=lambda reason, protected: services.do_export_roster(
            actor=request.user, roster=roster, reason=reason, protected=protected
        ),
    )


@require_POST
@requires(Can.MANAGE_ROSTER)
def decide_swap(request: HttpRequest, pk: int) -> HttpResponse:
    swap = selectors.access_swap(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.do_decide_swap(actor=request.user, swap=swap, approve=approve)
        messages.success(request, _("Swap approved.") if approve else _("Swap rejected."))
    except services.RosterError as error:
        messages.error(request, str(error))
    return redirect("rostering:roster", pk=swap.shift.roster_id)


@requires(Can.MANAGE_ROSTER)
def fatigue(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.access_community(request.user, code)
    rows = community_fatigue(place)
    names = selectors.volunteer_names(request.user, [int(r.person) for r in rows])
    context = {
        "place": place,
        "rows": [(names.get(int(r.person), "?"), r) for r in rows],
        "rules": rules_of(place),
    }
    return render(request, "rostering/fatigue.html", context)


# --- the volunteer's own pages ------------------------------------------------------


@requires(Can.REQUEST_SWAP)
def my_shifts(request: HttpRequest) -> HttpResponse:
    context = {
        "shift_types": selectors.my_shift_types(request.user),
        "shifts": selectors.my_shifts(request.user),
        "notices": selectors.my_notices(request.user),
        "swaps": selectors.my_swaps(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "rostering/my_shifts.html", context)


def _own_shift(request: HttpRequest, pk: int):
    shift = selectors.access_shift(request.user, pk)
    if not selectors.may_act_on(request.user, shift, request.user.can(Can.MANAGE_ROSTER)):
        raise PermissionDenied
    return shift


@requires(Can.REQUEST_SWAP)
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the partners the rules allow; POST: ask for one of them."""
    shift = _own_shift(request, pk)
    if request.method == "POST":
        try:
            partner = access_volunteer(request.user, int(request.POST.get("partner", "")))
            other = request.POST.get("partner_shift")
            partner_shift = selectors.access_shift(request.user, int(other)) if other else None
            services.do_request_swap(
                actor=request.user, shift=shift, partner=partner, partner_shift=partner_shift
            )
        except (ValueError, services.RosterError) as error:
            messages.error(request, str(error) or _("Choose a partner."))
            return redirect("rostering:swap", pk=shift.pk)
        messages.success(request, _("Asked; the lead will decide."))
        return redirect("rostering:my_shifts")
    from .swaps import swap_offers

    return render(request, "rostering/swap.html", {"shift": shift, "offers": swap_offers(shift)})


@require_POST
@requires(Can.REQUEST_SWAP)
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _own_shift(request, pk)
    action = request.POST.get("action", "in")
    try:
        if action == "out":
            services.do_check_out(actor=request.user, shift=shift)
        else:
            services.do_check_in(actor=request.user, shift=shift)
    except services.RosterError as error:
        messages.error(request, str(error))
    return redirect("rostering:my_shifts")


@require_POST
@requires(Can.MANAGE_ROSTER)
def confirm_worked(request: HttpRequest, pk: int) -> HttpResponse:
    shift = selectors.access_shift(request.user, pk)
    services.do_confirm_worked(actor=request.user, shift=shift)
    messages.success(request, _("Hours confirmed."))
    return redirect("rostering:roster", pk=shift.roster_id)


@require_POST
@requires(Can.REQUEST_SWAP)
def my_availability(request: HttpRequest) -> HttpResponse:
    """A volunteer says which days they cannot work, or which shift they wish for."""
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        messages.error(request, _("Your account is not linked to a volunteer."))
        return redirect("rostering:my_shifts")
    data = request.POST
    try:
        first = parse_day(data.get("first_day", ""))
        if data.get("kind") == "away":
            last = parse_day(data.get("last_day") or first)
            services.do_add_unavailability(
                actor=request.user,
                volunteer=volunteer,
                first_day=first,
                last_day=last,
                reason=data.get("reason", ""),
            )
        else:
            code = data.get("shift_type", "")
            shift_type = (
                selectors.my_shift_types(request.user).filter(pk=code).first() if code else None
            )
            services.do_add_wish(
                actor=request.user,
                volunteer=volunteer,
                day=first,
                shift_type=shift_type,
                wants=data.get("kind") == "want",
                weight=int(data.get("weight", "1")),
            )
    except ValueError as error:  # a bad date or number, or a RosterError
        messages.error(request, str(error))
        return redirect("rostering:my_shifts")
    messages.success(request, _("Noted for the next roster."))
    return redirect("rostering:my_shifts")
