"""Phone-first service-request pages: the request link (no account), requests on someone's
behalf, the professional's cases, the case page, the dashboard and the wellbeing check-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.clientip import client_ip
from linli.accounts.roles import Can
from linli.common.audit import record_reveal
from linli.common.disclosure import DigitSearchRefused
from linli.common.views import requires
from linli.register.selectors import access_resident, search_residents

from . import links, selectors, services
from .labels import ANSWERS, QUEUE_REASONS, REASON_LABELS, WELLBEING_QUESTIONS
from .models import Category, Contact, Status, Urgency, WellbeingCheckIn


def _form_context(**extra) -> dict:
    return {
        "categories": Category.choices,
        "urgencies": Urgency.choices,
        "contacts": Contact.choices,
        **extra,
    }


def ask(request: HttpRequest, token: str) -> HttpResponse:
    """The page a request link opens: no account, nothing personal shown, rate-limited."""
    try:
        target = links.read_link(token)
        place, resident = _link_place(target)
    except links.BadLink:
        return render(request, "services/ask_gone.html", status=404)
    context = _form_context(anonymous_person=target.kind == "community")
    if request.method == "POST":
        now = timezone.now()
        address = client_ip(request)
        if links.over_limit(target, address, now):
            return render(request, "services/ask_limited.html", status=429)
        try:
            if target.kind == "community" and not request.POST.get("contact_phone", "").strip():
                raise services.ServiceError(_("Phone: how can we reach you?"))
            created = services.do_create_request(
                actor=None,
                place=place,
                resident=resident,
                channel="link",
                fields=request.POST,
                contact_name=request.POST.get("contact_name", ""),
                contact_phone=request.POST.get("contact_phone", ""),
                link_key=target.key,
                now=now,
            )
            links.count_address(address)
            return render(request, "services/ask_done.html", {"created": created})
        except services.ServiceError as error:
            context["error"] = str(error)
            context["posted"] = request.POST
    return render(request, "services/ask.html", context)


def _link_place(target: links.LinkTarget):
    from linli.places.models import Place
    from linli.register.models import Resident

    if target.kind == "resident":
        resident = (
            Resident.objects.current()
            .filter(pk=target.value, moved_out__isnull=True)
            .select_related("place", "ward")
            .first()
        )
        if resident is None:
            raise links.BadLink
        return resident.place, resident
    place = Place.objects.filter(code=target.value, level="community").first()
    if place is None:
        raise links.BadLink
    return place, None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "mine": selectors.my_cases(user),
        "queue": selectors.queue_for(user),
        "supervised": selectors.supervised(user),
        "guarded": selectors.guarded(user).select_related("place"),
        "own": selectors.own(user),
        "managed": selectors.managed(user).exclude(status=Status.CLOSED)[:50],
        "can_ask": user.can(Can.ASK_SERVICE),
        "can_ask_for_wards": bool(selectors.wards_guarded_by(user)),
        "can_dashboard": user.can(Can.VIEW_SERVICE_DASHBOARD),
        "can_checkin": user.can(Can.WELLBEING_CHECKIN),
    }
    return render(request, "services/index.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """On a resident's behalf: staff find them in the register; a guardian picks one of their
    wards. Then the request form."""
    user = request.user
    wards = selectors.wards_guarded_by(user)
    staff = user.can(Can.ASK_SERVICE)
    if not staff and not wards:
        raise PermissionDenied
    picked = request.GET.get("resident") or request.POST.get("resident") or ""
    resident = None
    if picked.isdigit():
        if staff:
            resident = access_resident(user, int(picked))
        else:
            resident = next((r for r in wards if r.pk == int(picked)), None)
            if resident is None:
                raise Http404
    context = _form_context(resident=resident, staff=staff)
    if resident is None:
        query = request.GET.get("q", "").strip()
        context["query"] = query
        if staff:
            try:
                context["found"] = search_residents(user, query)[:20] if query else []
            except DigitSearchRefused:
                messages.error(request, _("Searching by phone digits needs the right to see them."))
                context["found"] = []
        else:
            context["found"] = wards
    elif request.method == "POST":
        return _file_request(
            request, context, place=resident.place, resident=resident, channel="on_behalf"
        )
    return render(request, "services/new.html", context)


def _file_request(request: HttpRequest, context: dict, **who) -> HttpResponse:
    """File the posted request (for a resident or for the worker themselves); on a refusal
    the form again, with what was typed and the reason."""
    try:
        created = services.do_create_request(actor=request.user, fields=request.POST, **who)
    except services.ServiceError as error:
        messages.error(request, str(error))
        context["posted"] = request.POST
        return render(request, "services/new.html", context)
    messages.success(request, _("Request #%(id)s filed.") % {"id": created.reference})
    return redirect("services:index")


@requires(Can.WELLBEING_CHECKIN)
def ask_self(request: HttpRequest) -> HttpResponse:
    """A frontline worker asks for help for themselves (psychological support, a doctor, …)."""
    context = _form_context(for_self=True)
    if request.method == "POST":
        return _file_request(
            request, context, place=request.user.place, worker=request.user, channel="self"
        )
    return render(request, "services/new.html", context)


@requires(Can.ASK_SERVICE)
def resident_link(request: HttpRequest, pk: int) -> HttpResponse:
    resident = access_resident(request.user, pk)
    token = links.make_link(resident_id=resident.pk)
    url = request.build_absolute_uri(reverse("services:ask", args=[token]))
    return render(request, "services/link.html", {"url": url, "resident": resident})


@requires(Can.ASK_SERVICE)
def community_link(request: HttpRequest) -> HttpResponse:
    code = request.user.place.code[:12]
    if len(code) < 12:
        messages.error(
            request, _("A request link is for one community: sign in as one of its staff.")
        )
        return render(request, "services/link.html", {})
    token = links.make_link(community_code=code)
    url = request.build_absolute_uri(reverse("services:ask", args=[token]))
    return render(request, "services/link.html", {"url": url, "place": request.user.place})


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.access_request(request.user, pk)
    notes = selectors.notes_for(request.user, view) if view.may_read_notes else []
    if view.show_description:
        record_reveal(
            actor=request.user, instance=view.request, field="description", reason="case read"
        )
    reasons = [REASON_LABELS.get(code, code) for code, _match in view.request.triage_reasons]
    context = {
        "view": view,
        "case": view.request,
        "notes": notes,
        "reasons": reasons,
        "queue_reason": QUEUE_REASONS.get(view.request.queue_reason, ""),
        "limits": services.problem.limits_for(view.request.community_code),
        "escalations": view.request.escalations.all(),
    }
    return render(request, "services/case.html", context)


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    view = selectors.access_request(request.user, pk)
    try:
        action(view)
    except services.ServiceError as error:
        messages.error(request, str(error))
    return redirect("services:case", pk=pk)


@requires(Can.TAKE_CASES)
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    def run(view):
        if not view.may_take and "professional" not in view.relations:
            raise PermissionDenied
        services.do_take_case(actor=request.user, request=view.request)

    return _act(request, pk, run)


def _handling(view) -> None:
    if not view.relations & {"professional", "lead"}:
        raise PermissionDenied


@requires(Can.TAKE_CASES)
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    def run(view):
        _handling(view)
        services.do_set_status(
            actor=request.user,
            request=view.request,
            status=request.POST.get("status", ""),
            base_status=request.POST.get("base__status"),
        )

    return _act(request, pk, run)


@requires(Can.TAKE_CASES)
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    def run(view):
        _handling(view)
        services.do_add_note(
            actor=request.user,
            request=view.request,
            text=request.POST.get("text", ""),
            shareable=bool(request.POST.get("shareable")),
            psychological=bool(request.POST.get("psychological")),
        )

    return _act(request, pk, run)


@requires(Can.TAKE_CASES)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    def run(view):
        _handling(view)
        services.do_close_case(
            actor=request.user,
            request=view.request,
            outcome=request.POST.get("outcome", ""),
            rating=request.POST.get("rating"),
        )

    return _act(request, pk, run)


@requires(Can.VIEW_SERVICE_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(request.user)
    return render(request, "services/dashboard.html", {"board": board})


@requires(Can.WELLBEING_CHECKIN)
def checkin(request: HttpRequest) -> HttpResponse:
    context = {"questions": WELLBEING_QUESTIONS, "answers": ANSWERS}
    if request.method == "POST":
        try:
            context["result"] = services.do_check_in(actor=request.user, answers=request.POST)
        except services.ServiceError as error:
            messages.error(request, str(error))
    context["hours"] = services.hours_worked(request.user, timezone.now())
    return render(request, "services/checkin.html", context)


@requires(Can.WELLBEING_CHECKIN)
@require_POST
def support(request: HttpRequest) -> HttpResponse:
    """Take up the support the latest check-in offered."""
    latest = WellbeingCheckIn.objects.filter(user=request.user).first()
    try:
        if latest is None:
            raise services.ServiceError(_("This check-in offered no support request"))
        services.do_ask_support(actor=request.user, checkin=latest)
        messages.success(request, _("Your request for support was sent. Someone will call you."))
    except services.ServiceError as error:
        messages.error(request, str(error))
    return redirect("services:index")
