"""Every write to supplies: ledger entries (with the balance locked), requests, approvals."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Balance, Item, LedgerEntry, StockLocation, SupplyRequest

Kind = LedgerEntry.Kind


class SupplyError(ValueError):
    """A movement or request that cannot be made, saying what and where."""


def _quantity(value: Any, what: str) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise SupplyError(
            _("%(what)s: “%(value)s” is not a whole number") % {"what": what, "value": value}
        ) from None
    if quantity <= 0:
        raise SupplyError(
            _("%(what)s must be more than 0 (got %(value)s)") % {"what": what, "value": quantity}
        )
    return quantity


def item_by_code(code: str) -> Item:
    try:
        return Item.objects.get(code=code)
    except Item.DoesNotExist:
        raise SupplyError(_("Unknown item “%(code)s”") % {"code": code}) from None


def _post(
    *,
    actor: Any,
    item: Item,
    location: StockLocation,
    kind: str,
    delta: int,
    note: str = "",
    request: SupplyRequest | None = None,
    source: str = "",
) -> LedgerEntry:
    """Append one entry and move the balance; the balance row is locked until commit, so two
    people issuing at the same moment are served one after the other and stock never goes
    below zero."""
    with transaction.atomic():
        Balance.objects.bulk_create(
            [Balance(item=item, location=location, quantity=0)], ignore_conflicts=True
        )
        balance = Balance.objects.select_for_update().get(item=item, location=location)
        after = balance.quantity + delta
        if after < 0:
            raise SupplyError(
                _(
                    "Cannot take %(asked)s %(unit)s of %(item)s from %(location)s: "
                    "only %(on_hand)s on hand"
                )
                % {
                    "asked": -delta,
                    "unit": item.unit,
                    "item": item.name,
                    "location": location.name,
                    "on_hand": balance.quantity,
                }
            )
        balance.quantity = after
        balance.save(update_fields=["quantity"])
        return LedgerEntry.objects.create(
            item=item,
            location=location,
            kind=kind,
            quantity=delta,
            balance_after=after,
            note=note[:200],
            source=source[:100],
            request=request,
            actor=actor,
        )


def do_receive_stock(
    *,
    actor: Any,
    item: Item,
    location: StockLocation,
    quantity: Any,
    note: str = "",
    source: str = "",
) -> LedgerEntry:
    """A receipt: a donation (``source`` names the donor) or an allocation from above."""
    qty = _quantity(quantity, _("Quantity received"))
    return _post(
        actor=actor,
        item=item,
        location=location,
        kind=Kind.RECEIVE,
        delta=qty,
        note=note,
        source=source,
    )


def do_issue_stock(
    *, actor: Any, item: Item, location: StockLocation, quantity: Any, note: str = ""
) -> LedgerEntry:
    """Hand out stock for use (it leaves the ledger: this is what the burn rate counts)."""
    qty = _quantity(quantity, _("Quantity issued"))
    return _post(actor=actor, item=item, location=location, kind=Kind.ISSUE, delta=-qty, note=note)


def do_correct_stock(
    *, actor: Any, item: Item, location: StockLocation, delta: Any, note: str
) -> LedgerEntry:
    """A stock-take difference or a wrong entry put right: a new signed entry, with a reason."""
    try:
        change = int(delta)
    except (TypeError, ValueError):
        raise SupplyError(
            _("Correction: “%(value)s” is not a whole number") % {"value": delta}
        ) from None
    if change == 0:
        raise SupplyError(_("A correction must change the stock (got 0)"))
    if not note.strip():
        raise SupplyError(_("A correction needs a reason"))
    return _post(
        actor=actor, item=item, location=location, kind=Kind.CORRECTION, delta=change, note=note
    )


def do_transfer_stock(
    *,
    actor: Any,
    item: Item,
    source: StockLocation,
    destination: StockLocation,
    quantity: Any,
    note: str = "",
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move stock between two locations: both entries in one transaction, or neither."""
    qty = _quantity(quantity, _("Quantity moved"))
    if source.pk == destination.pk:
        raise SupplyError(_("A transfer needs two different locations"))
    with transaction.atomic():
        out = _post(
            actor=actor, item=item, location=source, kind=Kind.TRANSFER_OUT, delta=-qty, note=note
        )
        into = _post(
            actor=actor,
            item=item,
            location=destination,
            kind=Kind.TRANSFER_IN,
            delta=qty,
            note=note,
        )
    return out, into


def do_request_supplies(
    *, actor: Any, location: StockLocation, item: Item, quantity: Any, reason: str = ""
) -> SupplyRequest:
    """A request from a post or group; the community's supply managers are told after commit."""
    qty = _quantity(quantity, _("Quantity asked"))
    request = SupplyRequest.objects.create(
        location=location, item=item, quantity=qty, reason=reason[:200], requested_by=actor
    )
    transaction.on_commit(lambda: _tell_managers_of_request(request))
    return request


def _supply_managers(community_code: str) -> list[Any]:
    from linli.accounts.models import User
    from linli.accounts.roles import ROLE_CAN, Can

    roles = [role for role, caps in ROLE_CAN.items() if Can.MANAGE_SUPPLIES in caps]
    return list(User.objects.filter(role__in=roles, place__code=community_code, is_active=True))


def _tell_managers_of_request(request: SupplyRequest) -> None:
    from linli.notifications.services import notify

    recipients = _supply_managers(request.location.place.code[:12])
    if recipients:
        notify(
            recipients=recipients,
            kind="supply_request",
            title=_("%(location)s asks for %(quantity)s %(unit)s of %(item)s")
            % {
                "location": request.location.name,
                "quantity": request.quantity,
                "unit": request.item.unit,
                "item": request.item.name,
            },
            link="/supplies/",
            place=request.location.place,
        )


def do_decide_request(
    *, actor: Any, request: SupplyRequest, quantity: Any, source: StockLocation
) -> SupplyRequest:
    """Approve all or part of a request (0 rejects it) and fulfil it at once: the approved
    quantity moves from ``source`` to the requesting location in one transaction."""
    try:
        qty = int(quantity)
    except (TypeError, ValueError):
        raise SupplyError(
            _("Quantity approved: “%(value)s” is not a whole number") % {"value": quantity}
        ) from None
    with transaction.atomic():
        request = SupplyRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != SupplyRequest.Status.PENDING:
            raise SupplyError(_("This request has already been decided"))
        if qty < 0 or qty > request.quantity:
            raise SupplyError(
                _("Quantity approved must be between 0 and %(asked)s (got %(value)s)")
                % {"asked": request.quantity, "value": qty}
            )
        if source.pk == request.location_id and qty:
            raise SupplyError(_("Supplies must come from another location than the one asking"))
        request.approved_quantity = qty
        request.decided_by = actor
        request.decided_at = timezone.now()
        if qty == 0:
            request.status = SupplyRequest.Status.REJECTED
        else:
            note = _("Request #%(id)s") % {"id": request.pk}
            _post(
                actor=actor,
                item=request.item,
                location=source,
                kind=Kind.TRANSFER_OUT,
                delta=-qty,
                note=note,
                request=request,
            )
            _post(
                actor=actor,
                item=request.item,
                location=request.location,
                kind=Kind.TRANSFER_IN,
                delta=qty,
                note=note,
                request=request,
            )
            request.status = SupplyRequest.Status.FULFILLED
        request.save()
    return request


def do_confirm_allocation(
    *, actor: Any, source: StockLocation, decisions: list[tuple[SupplyRequest, Any]]
) -> list[SupplyRequest]:
    """Decide several requests at once (the lead's adjusted allocation): all or nothing."""
    with transaction.atomic():
        return [
            do_decide_request(actor=actor, request=request, quantity=qty, source=source)
            for request, qty in decisions
        ]


def do_alert_low_stock(*, today: Any = None) -> int:
    """Tell the supply managers of each community about stock running low, once a day per item
    and location (the day is claimed with a conditional UPDATE, so two workers never both send)."""
    from linli.notifications.services import notify

    from .selectors import stock_lines

    today = today or timezone.localdate()
    sent = 0
    for line in stock_lines(Balance.objects.exclude(low_alerted_on=today), today=today):
        if not line.forecast.low:
            continue
        b = line.balance
        claimed = (
            Balance.objects.filter(pk=b.pk)
            .exclude(low_alerted_on=today)
            .update(low_alerted_on=today)
        )
        if not claimed:
            continue
        days = line.forecast.days_of_supply
        _raise_low_stock_task(b, days)
        recipients = _supply_managers(b.location.place.code[:12])
        if not recipients:
            continue
        notify(
            recipients=recipients,
            kind="low_stock",
            title=_("%(item)s is running low at %(location)s")
            % {"item": b.item.name, "location": b.location.name},
            body=_("%(on_hand)s %(unit)s on hand, about %(days)s days of supply.")
            % {
                "on_hand": b.quantity,
                "unit": b.item.unit,
                "days": "0" if days is None else f"{days:.1f}",
            },
            link="/supplies/",
            place=b.location.place,
        )
        sent += 1
    return sent


def _raise_low_stock_task(balance: Balance, days: float | None) -> None:
    """A task for the logistics group of the community's task force (one open task per
    item and location, however often the alert repeats)."""
    from linli.places.models import Place
    from linli.taskforce.services import raise_task

    community = Place.objects.filter(code=balance.location.place.code[:12]).first()
    if community is None:
        return
    raise_task(
        community,
        "logistics",
        _("Restock %(item)s at %(location)s")
        % {"item": balance.item.name, "location": balance.location.name},
        f"supplies.low_stock:{balance.pk}",
        description=_("%(on_hand)s %(unit)s on hand, about %(days)s days of supply.")
        % {
            "on_hand": balance.quantity,
            "unit": balance.item.unit,
            "days": "0" if days is None else f"{days:.1f}",
        },
        link="/supplies/",
    )


def do_export_ledger(*, actor: Any, location: StockLocation, reason: str, protected: bool) -> bytes:
    """The location's ledger and its donations (donors' names) as an xlsx, recorded in the
    audit trail with who, how many entries and why."""
    from linli.common.audit import record_export

    from .export import ledger_xlsx

    content = ledger_xlsx(location)
    with transaction.atomic():
        record_export(
            actor=actor,
            instance=location,
            kind="ledger.xlsx",
            rows=LedgerEntry.objects.filter(location=location).count(),
            reason=reason,
            protected=protected,
        )
    return content
