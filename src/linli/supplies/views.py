"""Phone-first supplies pages: stock with days of supply, the ledger, request, approve, allocate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.exports import ExportForm, export_response
from linli.common.scope import access, scoped
from linli.common.views import requires

from . import selectors, services
from .models import Item, LedgerEntry, StockLocation, SupplyRequest

REASONS = {
    "need_met": gettext_lazy("gets all it asked for"),
    "minimum": gettext_lazy("critical post: its minimum"),
    "fair_share": gettext_lazy("the same fair level as the others (by people served)"),
    "minimum_short": gettext_lazy("stock below the minimums: minimums shared fairly"),
}


@requires(Can.REQUEST_SUPPLIES)
def stock(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "lines": selectors.stock_for(user),
        "locations": scoped(StockLocation, user),
        "items": Item.objects.all(),
        "requests": scoped(SupplyRequest, user).select_related("item", "location")[:30],
        "can_manage": user.can(Can.MANAGE_SUPPLIES),
    }
    return render(request, "supplies/stock.html", context)


@requires(Can.REQUEST_SUPPLIES)
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    location = access(StockLocation, request.user, pk=pk)
    entries = LedgerEntry.objects.filter(location=location).select_related("item")[:200]
    context = {
        "location": location,
        "entries": entries,
        "can_manage": request.user.can(Can.MANAGE_SUPPLIES),
        "export_form": ExportForm(),
    }
    return render(request, "supplies/ledger.html", context)


@requires(Can.REQUEST_SUPPLIES)
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    try:
        if not request.POST.get("location"):
            raise services.SupplyError(_("Choose where the supplies are for"))
        location = access(StockLocation, request.user, pk=request.POST["location"])
        item = services.item_by_code(request.POST.get("item", ""))
        services.do_request_supplies(
            actor=request.user,
            location=location,
            item=item,
            quantity=request.POST.get("quantity"),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Request sent."))
    except services.SupplyError as error:
        messages.error(request, str(error))
    return redirect("supplies:stock")


@requires(Can.MANAGE_SUPPLIES)
def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """The fair allocation of a source's stock among pending requests; the lead may change
    any quantity before confirming."""
    source = access(StockLocation, request.user, pk=pk)
    items = Item.objects.all()
    item = items.filter(code=request.GET.get("item") or request.POST.get("item")).first()
    item = item or items.first()
    if item is None:
        return render(request, "supplies/allocate.html", {"source": source, "rows": []})
    on_hand, pending, result = selectors.proposed_allocation(source, item)
    if request.method == "POST":
        decisions = [(r, request.POST.get(f"qty-{r.pk}", "")) for r in pending]
        try:
            services.do_confirm_allocation(actor=request.user, source=source, decisions=decisions)
            messages.success(request, _("Allocation confirmed."))
            return redirect("supplies:stock")
        except services.SupplyError as error:
            messages.error(request, str(error))
    shares = result.by_id()
    rows = [(r, shares[r.pk], REASONS[shares[r.pk].reason]) for r in pending]
    context = {"source": source, "item": item, "items": items, "on_hand": on_hand, "rows": rows}
    return render(request, "supplies/allocate.html", context)


MOVES = {
    "receive": gettext_lazy("Receive (donation or allocation from above)"),
    "issue": gettext_lazy("Issue for use (to a post, group or person)"),
    "transfer": gettext_lazy("Transfer to another location"),
    "correct": gettext_lazy("Correct after a stock-take"),
}


def _record_move(user, location: StockLocation, data) -> None:
    """One movement from the movement form; a SupplyError says what is wrong."""
    kind = data.get("kind", "")
    if kind not in MOVES:
        raise services.SupplyError(_("Choose what kind of movement this is"))
    item = services.item_by_code(data.get("item", ""))
    note = data.get("note", "").strip()
    if kind == "receive":
        services.do_receive_stock(
            actor=user,
            item=item,
            location=location,
            quantity=data.get("quantity"),
            note=note,
            source=data.get("source", "").strip(),
        )
    elif kind == "issue":
        services.do_issue_stock(
            actor=user, item=item, location=location, quantity=data.get("quantity"), note=note
        )
    elif kind == "transfer":
        if not data.get("destination"):
            raise services.SupplyError(_("Choose where the stock goes"))
        destination = access(StockLocation, user, pk=data["destination"])
        services.do_transfer_stock(
            actor=user,
            item=item,
            source=location,
            destination=destination,
            quantity=data.get("quantity"),
            note=note,
        )
    else:
        services.do_correct_stock(
            actor=user, item=item, location=location, delta=data.get("delta"), note=note
        )


@requires(Can.MANAGE_SUPPLIES)
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a receipt, issue, transfer or correction at one location."""
    location = access(StockLocation, request.user, pk=pk)
    status = 200
    if request.method == "POST":
        try:
            _record_move(request.user, location, request.POST)
            messages.success(request, _("Recorded."))
            return redirect("supplies:ledger", pk=location.pk)
        except services.SupplyError as error:
            messages.error(request, str(error))
            status = 400
    context = {
        "location": location,
        "moves": MOVES.items(),
        "items": Item.objects.all(),
        "destinations": scoped(StockLocation, request.user).exclude(pk=location.pk),
        "data": request.POST,
    }
    return render(request, "supplies/move.html", context, status=status)


@requires(Can.REQUEST_SUPPLIES)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    location = access(StockLocation, request.user, pk=pk)
    return export_response(
        request,
        what=_("The ledger and the donations of %(location)s.") % {"location": location.name},
        file_name=f"ledger-{location.pk}.xlsx",
        produce=lambda reason, protected: services.do_export_ledger(
            actor=request.user, location=location, reason=reason, protected=protected
        ),
    )
