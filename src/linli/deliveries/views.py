"""Phone-first delivery pages: order for a ward or a household (or through the family's
signed link), the board, pick lists, sources, runs and the tap at the door."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.exports import export_response
from linli.common.scope import access, scoped
from linli.common.views import requires
from linli.guardianship.models import Volunteer
from linli.guardianship.selectors import access_ward, is_guardian_of
from linli.register.models import Household, Ward
from linli.supplies.models import StockLocation

from . import selectors, services
from .models import DeliveryItem, Order

LINES = 5


def _lines(data) -> list[services.Line]:
    items = {str(i.pk): i for i in DeliveryItem.objects.select_related("item")}
    found = []
    for n in range(1, LINES + 1):
        item = items.get(data.get(f"item_{n}", ""))
        text = data.get(f"text_{n}", "")
        if item is None and not text.strip():
            continue
        found.append(services.Line(item, text, data.get(f"qty_{n}", "1")))
    return found


def _order_page(request, *, ward=None, household=None, link_key="", action: str, back: str):
    """GET: the order form. POST: place the order (errors: the form again, 400)."""
    if request.method == "POST":
        try:
            services.do_place_order(
                actor=request.user,
                ward=ward,
                household=household,
                lines=_lines(request.POST),
                payer=request.POST.get("payer", ""),
                urgency=request.POST.get("urgency", "normal"),
                note=request.POST.get("note", ""),
                every_days=request.POST.get("every_days") or None,
                client_id=request.POST.get("client_id", ""),
                link_key=link_key,
            )
            messages.success(request, _("Order placed."))
            return redirect(back)
        except services.DeliveryError as error:
            messages.error(request, str(error))
    context = {
        "items": DeliveryItem.objects.select_related("item"),
        "lines": range(1, LINES + 1),
        "payers": Order.Payer.choices,
        "urgencies": Order.Urgency.choices,
        "client_id": uuid.uuid4().hex,
        "action": action,
        "for_ward": ward is not None,
    }
    return render(
        request, "deliveries/order.html", context, status=400 if request.method == "POST" else 200
    )


@requires(Can.PLACE_ORDERS)
def order_for_ward(request: HttpRequest, pk: int) -> HttpResponse:
    ward = access_ward(request.user, pk)
    if request.user.role == "volunteer" and not is_guardian_of(request.user, ward):
        raise PermissionDenied  # a volunteer orders only for the wards they guard
    back = f"/guardianship/wards/{ward.pk}/"
    return _order_page(request, ward=ward, action=request.path, back=back)


@requires(Can.PLACE_ORDERS)
def order_for_household(request: HttpRequest, pk: int) -> HttpResponse:
    if request.user.role == "volunteer":
        raise PermissionDenied  # volunteers order for their wards
    household = access(
        Household, request.user, queryset=Household.objects.select_related("place"), pk=pk
    )
    return _order_page(request, household=household, action=request.path, back=request.path)


def order_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """The ward's family, through the ward's signed request link: no account, nothing personal
    on the page."""
    from linli.services.links import BadLink, read_link

    try:
        target = read_link(token)
    except BadLink:
        raise Http404 from None
    ward = Ward.objects.filter(resident_id=target.value).select_related("resident__place").first()
    if target.kind != "resident" or ward is None:
        raise Http404
    return _order_page(
        request, ward=ward, link_key=target.key, action=request.path, back=request.path
    )


def ward_orders(request: HttpRequest, pk: int) -> HttpResponse:
    """The ward page's fragment: the ward's orders and their state."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    ward = access_ward(request.user, pk)
    if not (request.user.can(Can.VIEW_COVERAGE) or is_guardian_of(request.user, ward)):
        raise PermissionDenied
    context = {
        "ward": ward,
        "orders": selectors.ward_orders(ward),
        "can_order": request.user.can(Can.PLACE_ORDERS)
        and (request.user.role != "volunteer" or is_guardian_of(request.user, ward)),
    }
    return render(request, "deliveries/_partials/ward_orders.html", context)


@requires(Can.MANAGE_DELIVERIES)
def board(request: HttpRequest) -> HttpResponse:
    place = request.user.place
    context = {
        "board": selectors.board(request.user, place),
        "locations": scoped(StockLocation, request.user),
        "can_plan": place.level == "community",
        "volunteers": scoped(Volunteer, request.user).filter(status="active")[:200],
    }
    return render(request, "deliveries/board.html", context)


@requires(Can.MANAGE_DELIVERIES)
@require_POST
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.access_order(request.user, pk)
    source = request.POST.get("source", "")
    try:
        if source == "stock":
            if not request.POST.get("location"):
                raise services.DeliveryError(_("Choose the stock location to pack from."))
            location = access(StockLocation, request.user, pk=request.POST["location"])
            services.do_pack_from_stock(actor=request.user, location=location, orders=[order])
        elif source == "donation":
            services.do_fill_from_donation(
                actor=request.user, order=order, donor=request.POST.get("donor", "")
            )
        elif source == "supplier":
            services.do_send_to_supplier(
                actor=request.user, order=order, supplier=request.POST.get("supplier", "")
            )
        else:
            raise services.DeliveryError(_("Choose a source: stock, donation or supplier."))
        messages.success(request, _("Order %(n)s updated.") % {"n": order.pk})
    except services.DeliveryError as error:
        messages.error(request, str(error))
    return redirect("deliveries:board")


@requires(Can.MANAGE_DELIVERIES)
@require_POST
def pack_all(request: HttpRequest) -> HttpResponse:
    """Every open order of the board from one stock location, shared fairly when short."""
    try:
        if not request.POST.get("location"):
            raise services.DeliveryError(_("Choose the stock location to pack from."))
        location = access(StockLocation, request.user, pk=request.POST["location"])
        orders = list(
            selectors.orders_for(request.user).filter(
                status=Order.Status.OPEN, source__in=["", Order.Source.STOCK]
            )
        )
        packed = services.do_pack_from_stock(actor=request.user, location=location, orders=orders)
        messages.success(request, _("%(n)s orders packed.") % {"n": len(packed)})
    except services.DeliveryError as error:
        messages.error(request, str(error))
    return redirect("deliveries:board")


@requires(Can.MANAGE_DELIVERIES)
@require_POST
def plan(request: HttpRequest) -> HttpResponse:
    place = request.user.place
    if place.level != "community":
        messages.error(request, _("Runs are planned by a community."))
        return redirect("deliveries:board")
    result = services.do_plan_runs(actor=request.user, community=place)
    messages.success(
        request,
        _(
            "%(runs)s runs for %(carried)s orders, %(metres)s m on foot; %(unmet)s orders cannot be carried (see why on each)."
        )
        % {
            "runs": result.runs,
            "carried": result.carried,
            "metres": result.metres,
            "unmet": result.unmet,
        },
    )
    if result.synthetic:
        messages.warning(
            request,
            _(
                "Some buildings have no coordinates in the register: their places on the routes are made up."
            ),
        )
    return redirect("deliveries:board")


@requires(Can.MANAGE_DELIVERIES)
def pick_lists(request: HttpRequest) -> HttpResponse:
    groups = selectors.pick_lists(request.user, request.user.place)
    return render(request, "deliveries/pick_lists.html", {"groups": groups})


@requires(Can.MANAGE_DELIVERIES)
def supplier_export(request: HttpRequest) -> HttpResponse:
    supplier = request.GET.get("supplier") or request.POST.get("supplier", "")
    community = request.user.place
    return export_response(
        request,
        what=_("Order list for %(supplier)s") % {"supplier": supplier},
        file_name=f"{supplier or 'supplier'}-orders.xlsx",
        produce=lambda reason, protected: services.do_export_supplier_list(
            actor=request.user,
            community=community,
            supplier=supplier,
            reason=reason,
            protected=protected,
        ),
    )


@requires(Can.MANAGE_DELIVERIES)
@require_POST
def supplier_receive(request: HttpRequest) -> HttpResponse:
    n = services.do_receive_supplier_batch(
        actor=request.user, community=request.user.place, supplier=request.POST.get("supplier", "")
    )
    messages.success(request, _("%(n)s orders packed.") % {"n": n})
    return redirect("deliveries:board")


@requires(Can.CARRY_DELIVERIES)
def my_runs(request: HttpRequest) -> HttpResponse:
    mine, open_runs = selectors.my_runs(request.user)
    return render(request, "deliveries/my_runs.html", {"mine": mine, "open_runs": open_runs})


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated or not (
        request.user.can(Can.CARRY_DELIVERIES) or request.user.can(Can.MANAGE_DELIVERIES)
    ):
        raise PermissionDenied
    run = selectors.access_run(request.user, pk)
    stops = run.stops.select_related("order__place").prefetch_related("order__lines__item__item")
    return render(request, "deliveries/run.html", {"run": run, "stops": stops})


@requires(Can.CARRY_DELIVERIES)
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(request.user, pk)
    try:
        services.do_take_run(actor=request.user, run=run)
        messages.success(request, _("The run is yours."))
        return redirect("deliveries:run", pk=run.pk)
    except services.DeliveryError as error:
        messages.error(request, str(error))
    return redirect("deliveries:my_runs")


@requires(Can.MANAGE_DELIVERIES)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(request.user, pk)
    try:
        chosen = request.POST.get("volunteer", "")
        volunteer = (
            scoped(Volunteer, request.user).filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if volunteer is None:
            raise services.DeliveryError(_("Choose a volunteer."))
        services.do_take_run(actor=request.user, run=run, volunteer=volunteer)
        messages.success(request, _("Run given."))
    except services.DeliveryError as error:
        messages.error(request, str(error))
    return redirect("deliveries:board")


@requires(Can.CARRY_DELIVERIES)
@require_POST
def delivered(request: HttpRequest, pk: int) -> HttpResponse:
    stop = selectors.access_stop(request.user, pk)
    try:
        services.do_deliver(actor=request.user, stop=stop, photo=request.FILES.get("photo"))
        messages.success(request, _("Delivered."))
    except services.DeliveryError as error:
        messages.error(request, str(error))
    return redirect("deliveries:run", pk=stop.run_id)


@requires(Can.CARRY_DELIVERIES)
@require_POST
def failed(request: HttpRequest, pk: int) -> HttpResponse:
    stop = selectors.access_stop(request.user, pk)
    try:
        services.do_fail_delivery(
            actor=request.user, stop=stop, reason=request.POST.get("reason", "")
        )
        messages.warning(request, _("Recorded: the backup guardian is told."))
    except services.DeliveryError as error:
        messages.error(request, str(error))
    return redirect("deliveries:run", pk=stop.run_id)
