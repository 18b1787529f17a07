"""Phone-first screening pages: the grid worker's walk, a household's check, quarantine
lists, and the daily report with its roll-ups and trend charts."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.dates import parse_day
from linli.common.replica import reads_from_replica
from linli.common.scope import access
from linli.common.views import requires
from linli.domain.screening.chart import Series, legend, line_chart
from linli.places.models import Level, Place
from linli.register.models import Resident
from linli.register.selectors import access_household, access_resident

from . import selectors, services
from .ingest import do_record_screenings
from .models import DailyReport, Method, Quarantine, QuarantineKind, ScreeningNeed, Symptom


@requires(Can.SCREEN)
def walk(request: HttpRequest) -> HttpResponse:
    place = request.user.place
    if request.GET.get("place"):
        place = selectors.access_place(request.user, request.GET["place"])
    search = request.GET.get("q", "")
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selectors.walk_page(request.user, place, page=number, search=search)
    context = {
        "place": place,
        "grids": Place.objects.filter(parent=place, level=Level.GRID).order_by("code"),
        "page": page,
        "search": search,
        "unchecked": page.unchecked,
        "today": timezone.localdate(),
    }
    return render(request, "screening/walk.html", context)


def _record_from_post(post) -> dict:
    record = {
        "client_id": post.get("client_id") or uuid.uuid4().hex,
        "household": post.get("household") or None,
        "resident": post.get("resident") or None,
        "method": post.get("method") or "door",
        "temperature": post.get("temperature") or None,
        "symptoms": post.getlist("symptoms"),
        "travel_from": post.get("travel_from", ""),
        "from_risk_area": post.get("from_risk_area") == "on",
        "case_contact": post.get("case_contact") == "on",
        "quarantine": post.get("quarantine") or "none",
        "needs": post.getlist("needs"),
        "note": post.get("note", ""),
    }
    return record


@requires(Can.SCREEN)
@require_POST
def record(request: HttpRequest) -> HttpResponse:
    """The form fallback when the page's script does not run: the same service as the API."""
    outcome = do_record_screenings(actor=request.user, records=[_record_from_post(request.POST)])[0]
    if outcome.status == "rejected":
        problems = "; ".join(f"{e.field}: {e.reason}" for e in outcome.errors)
        messages.error(request, _("Not recorded: %(problems)s") % {"problems": problems})
    else:
        messages.success(request, _("Recorded."))
    return redirect("screening:walk")


@requires(Can.SCREEN)
def household(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(request.user, pk)
    members = Resident.objects.current().filter(household=household).order_by("pk")
    context = {
        "household": household,
        "members": members,
        "client_id": uuid.uuid4().hex,
        "methods": Method.choices,
        "symptoms": Symptom.choices,
        "needs": ScreeningNeed.choices,
        "kinds": QuarantineKind.choices,
        "can_quarantine": request.user.can(Can.MANAGE_QUARANTINE),
    }
    return render(request, "screening/household.html", context)


@requires(Can.MANAGE_QUARANTINE)
def quarantine(request: HttpRequest) -> HttpResponse:
    place = request.user.place
    lines = selectors.quarantines_for(request.user, place)
    context = {
        "place": place,
        "overdue": [line for line in lines if line.countdown.overdue],
        "running": [line for line in lines if not line.countdown.overdue],
        "days": services.quarantine_days(place.code) if len(place.code) >= 12 else None,
        "can_configure": place.level == Level.COMMUNITY
        and request.user.can(Can.SUBMIT_DAILY_REPORT),
    }
    return render(request, "screening/quarantine.html", context)


@requires(Can.MANAGE_QUARANTINE)
@require_POST
def quarantine_start(request: HttpRequest, pk: int) -> HttpResponse:
    resident = access_resident(request.user, pk)
    try:
        start = request.POST.get("start")
        services.do_start_quarantine(
            actor=request.user,
            resident=resident,
            kind=request.POST.get("kind", ""),
            start=parse_day(start) if start else None,
            facility=request.POST.get("facility", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Quarantine started."))
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("screening:quarantine")


@requires(Can.MANAGE_QUARANTINE)
@require_POST
def quarantine_release(request: HttpRequest, pk: int) -> HttpResponse:
    item = access(Quarantine, request.user, pk=pk)
    try:
        services.do_release_quarantine(actor=request.user, quarantine=item)
        messages.success(request, _("Released from quarantine."))
    except services.ScreeningError as error:
        messages.error(request, str(error))
    return redirect("screening:quarantine")


@requires(Can.SUBMIT_DAILY_REPORT)
@require_POST
def quarantine_days(request: HttpRequest, code: str) -> HttpResponse:
    community = selectors.access_place(request.user, code)
    if community.level != Level.COMMUNITY:
        raise Http404
    try:
        services.do_set_quarantine_days(
            actor=request.user, community=community, days=request.POST.get("days")
        )
        messages.success(request, _("Quarantine length saved."))
    except services.ScreeningError as error:
        messages.error(request, str(error))
    return redirect("screening:quarantine")


@requires(Can.VIEW_DAILY_REPORTS)
@reads_from_replica
def reports(request: HttpRequest) -> HttpResponse:
    """Today's report of the account's own place."""
    return report(request, request.user.place.code[:12], timezone.localdate())


def _charts(place, day: dt.date) -> list[dict]:
    dates, series = selectors.trend(place, end=day)
    groups = [
        (_("Screened"), [("screened", _("screened"))]),
        (
            _("Fever and arrivals"),
            [("fever", _("fever")), ("from_risk_areas", _("from risk areas"))],
        ),
        (
            _("Quarantine"),
            [
                ("quarantined_home", _("home")),
                ("quarantined_centralised", _("centralised")),
                ("released", _("released")),
            ],
        ),
    ]
    charts = []
    for title, names in groups:
        lines = [Series(str(label), series[name]) for name, label in names]
        charts.append({"svg": line_chart(str(title), dates, lines), "legend": legend(lines)})
    return charts


@requires(Can.VIEW_DAILY_REPORTS)
@reads_from_replica
def report(request: HttpRequest, code: str, day: dt.date) -> HttpResponse:
    place = selectors.access_place(request.user, code)
    if place.level not in (Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY):
        raise Http404
    the_day = day
    context = {"place": place, "day": the_day, "charts": _charts(place, the_day)}
    if place.level == Level.COMMUNITY:
        saved = DailyReport.objects.filter(place=place, day=the_day).first()
        locked = saved is not None and saved.status == DailyReport.Status.SUBMITTED
        figures = (
            selectors.figures_of(saved) if locked else selectors.community_figures(code, the_day)
        )
        context |= {
            "report": saved,
            "locked": locked,
            "figures": figures,
            "can_submit": request.user.can(Can.SUBMIT_DAILY_REPORT),
        }
    else:
        context |= {
            "figures": selectors.rollup(place, the_day),
            "children": selectors.child_rows(place, the_day),
            "missing": selectors.missing_communities(place, the_day),
        }
    return render(request, "screening/report.html", context)


@requires(Can.SUBMIT_DAILY_REPORT)
@require_POST
def report_submit(request: HttpRequest, code: str, day: dt.date) -> HttpResponse:
    community = selectors.access_place(request.user, code)
    if community.level != Level.COMMUNITY:
        raise Http404
    the_day = day
    action = request.POST.get("action", "save")
    try:
        if action == "save":
            services.do_save_report_notes(
                actor=request.user,
                community=community,
                day=the_day,
                notes=request.POST.get("notes", ""),
            )
            messages.success(request, _("Notes saved."))
        else:
            services.do_submit_report(
                actor=request.user,
                community=community,
                day=the_day,
                notes=request.POST.get("notes"),
                zero=action == "zero",
            )
            messages.success(request, _("Report submitted."))
    except services.ScreeningError as error:
        messages.error(request, str(error))
    return redirect("screening:report", code=code, day=day)
