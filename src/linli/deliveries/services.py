"""Every write of deliveries: orders placed, packed from a source, runs planned, taken,
delivered or failed, recurring orders renewed. Each in one transaction with its audit row
(django-auditlog on Order and Run); nothing personal is logged."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.common.audit import record_changes, record_export
from linli.guardianship.models import Escalation, Volunteer
from linli.places.models import Level, Place
from linli.register.models import Household, Ward

from .export import supplier_xlsx
from .models import DeliveryItem, Order, OrderLine, Run, RunStop

log = logging.getLogger(__name__)
NOON = 12 * 60
MAX_QUANTITY = 99


class DeliveryError(ValueError):
    """A request that cannot be honoured; the message says what and where."""


@dataclass(frozen=True)
class Line:
    """One line of an order as the form gives it: a catalogue item or free text."""

    item: DeliveryItem | None
    text: str
    quantity: Any


def _quantity(value: Any, where: str) -> int:
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise DeliveryError(
            _("%(where)s: “%(value)s” is not a whole number") % {"where": where, "value": value}
        ) from None
    if not 1 <= quantity <= MAX_QUANTITY:
        raise DeliveryError(
            _("%(where)s: the quantity must be between 1 and %(most)s (got %(value)s)")
            % {"where": where, "most": MAX_QUANTITY, "value": quantity}
        )
    return quantity


def _clean_lines(lines: Sequence[Line], note: str) -> list[tuple[DeliveryItem | None, str, int]]:
    cleaned = []
    for n, line in enumerate(lines, start=1):
        text = (line.text or "").strip()
        if line.item is None and not text:
            continue
        where = _("Line %(n)s") % {"n": n}
        quantity = _quantity(line.quantity, where)
        if line.item is not None and line.item.prescription and not note.strip():
            raise DeliveryError(
                _("%(where)s: %(item)s is a prescription refill; add the prescription note")
                % {"where": where, "item": line.item}
            )
        cleaned.append((line.item, text[:200], quantity))
    if not cleaned:
        raise DeliveryError(_("An order needs at least one item or a line of free text."))
    return cleaned


def do_place_order(
    *,
    actor: Any,
    lines: Sequence[Line],
    payer: str,
    urgency: str,
    ward: Ward | None = None,
    household: Household | None = None,
    note: str = "",
    every_days: Any = None,
    client_id: str = "",
    link_key: str = "",
) -> Order:
    """Place an order for a ward or a household (the caller has checked scope). Sending the
    same ``client_id`` again returns the first order and writes nothing. Medicine is due by
    12:00. ``every_days`` repeats the order (a chronic-medicine ward's refill)."""
    client_id = (client_id or "").strip()[:64]
    if client_id:
        existing = Order.objects.filter(client_id=client_id).first()
        if existing is not None:
            return _same_orderer(existing, actor, link_key)
    if (ward is None) == (household is None):
        raise DeliveryError(_("An order is for one ward or one household."))
    if payer not in Order.Payer.values:
        raise DeliveryError(_("Say who pays: self, subsidy or donation."))
    if urgency not in Order.Urgency.values:
        raise DeliveryError(_("Unknown urgency %(value)s.") % {"value": urgency})
    cleaned = _clean_lines(lines, note)
    repeat = None
    if every_days not in (None, ""):
        repeat = _quantity(every_days, _("Repeat every (days)"))
    place = household.place if household is not None else ward.resident.place
    medicine = any(
        item is not None and item.kind == DeliveryItem.Kind.MEDICINE for item, _t, _q in cleaned
    )
    try:
        with transaction.atomic():
            order = Order.objects.create(
                place=place,
                ward=ward,
                household=household,
                placed_by=actor if getattr(actor, "is_authenticated", False) else None,
                link_key=link_key,
                client_id=client_id,
                payer=payer,
                urgency=urgency,
                note=note.strip(),
                due_by=NOON if medicine else None,
                every_days=repeat,
                next_on=timezone.localdate() + dt.timedelta(days=repeat) if repeat else None,
            )
            OrderLine.objects.bulk_create(
                OrderLine(order=order, item=item, text=text, quantity=q)
                for item, text, q in cleaned
            )
    except IntegrityError:  # the same client id at the same moment: the other one won
        existing = Order.objects.filter(client_id=client_id).first()
        if client_id and existing is not None:
            return _same_orderer(existing, actor, link_key)
        raise
    log.info("order %s placed, %s lines", order.pk, len(cleaned))
    return order


def _same_orderer(existing: Order, actor: Any, link_key: str) -> Order:
    mine = (
        existing.placed_by_id == getattr(actor, "pk", None)
        if existing.placed_by_id
        else existing.link_key == link_key
    )
    if not mine:
        raise DeliveryError(_("This order number is already used; reload the form."))
    return existing


# ----------------------------------------------------------------------------- sources


def do_pack_from_stock(*, actor: Any, location: Any, orders: Sequence[Order]) -> list[Order]:
    """Issue the orders' catalogue lines from ``location``'s stock through the supplies
    ledger and mark them packed. When the stock of an item is short of what the orders ask,
    the supplies' fair-allocation rule shares it (urgent orders weigh double); an order whose
    lines all got nothing stays open with the reason. One order alone with nothing on hand
    is refused with what is missing."""
    from linli.domain.supplies.allocation import Claim, allocate
    from linli.supplies.models import Balance
    from linli.supplies.services import SupplyError, do_issue_stock

    now = timezone.now()
    packed = []
    with transaction.atomic():
        locked = list(
            Order.objects.select_for_update()
            .filter(pk__in=[o.pk for o in orders], status=Order.Status.OPEN)
            .order_by("pk")
        )
        lines = list(
            OrderLine.objects.filter(order__in=locked, item__isnull=False)
            .select_related("item__item", "order")
            .order_by("order_id", "pk")
        )
        share: dict[int, int] = {}
        for item_id in {line.item_id for line in lines}:
            mine = [line for line in lines if line.item_id == item_id]
            balance = Balance.objects.filter(item=mine[0].item.item, location=location).first()
            on_hand = balance.quantity if balance else 0
            claims = [
                Claim(line.pk, line.quantity, weight=2 if line.order.urgency == "urgent" else 1)
                for line in mine
            ]
            for s in allocate(on_hand, claims).shares:
                share[s.id] = s.allocated
        for order in locked:
            mine = [line for line in lines if line.order_id == order.pk]
            if mine and not any(share.get(line.pk, 0) for line in mine):
                missing = ", ".join(str(line.item) for line in mine)
                if len(locked) == 1:
                    raise DeliveryError(
                        _(
                            "Nothing on hand at %(location)s of %(items)s: fill this order "
                            "from a donation or a supplier instead."
                        )
                        % {"location": location.name, "items": missing}
                    )
                order.reason = _("Stock short: %(items)s") % {"items": missing}
                order.save(update_fields=["reason"])
                continue
            short = []
            for line in mine:
                given = share.get(line.pk, 0)
                if given:
                    try:
                        do_issue_stock(
                            actor=actor,
                            item=line.item.item,
                            location=location,
                            quantity=given,
                            note=f"order {order.pk}",
                        )
                    except SupplyError as error:
                        raise DeliveryError(str(error)) from None
                line.packed = given
                line.save(update_fields=["packed"])
                if given < line.quantity:
                    short.append(f"{line.item} {given}/{line.quantity}")
            order.status, order.source, order.packed_at = (
                Order.Status.PACKED,
                Order.Source.STOCK,
                now,
            )
            order.reason = (
                _("Fair share while stock is short: %(lines)s") % {"lines": "; ".join(short)}
                if short
                else ""
            )
            order.save(update_fields=["status", "source", "packed_at", "reason"])
            packed.append(order)
    return packed


def do_fill_from_donation(*, actor: Any, order: Order, donor: str) -> Order:
    """The order is filled from a donation (``donor`` named for the acknowledgement list)."""
    if not donor.strip():
        raise DeliveryError(_("Name the donor."))
    return _mark_packed(order, source=Order.Source.DONATION, donor=donor.strip()[:100])


def do_send_to_supplier(*, actor: Any, order: Order, supplier: str) -> Order:
    """The order goes on a supplier's (or group-buy organiser's) list; it is packed when the
    supplier's batch arrives (:func:`do_receive_supplier_batch`)."""
    if not supplier.strip():
        raise DeliveryError(_("Name the supplier."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != Order.Status.OPEN:
            raise DeliveryError(_("Only an open order can be sourced."))
        locked.source, locked.supplier = Order.Source.SUPPLIER, supplier.strip()[:100]
        locked.save(update_fields=["source", "supplier"])
    return locked


def do_receive_supplier_batch(*, actor: Any, community: Place, supplier: str) -> int:
    """The supplier's batch arrived at the community: its open orders are packed."""
    with transaction.atomic():
        orders = list(
            Order.objects.select_for_update().filter(
                place__code__startswith=community.code,
                status=Order.Status.OPEN,
                source=Order.Source.SUPPLIER,
                supplier=supplier,
            )
        )
        for order in orders:
            _mark_packed(order, source=Order.Source.SUPPLIER)
    return len(orders)


def _mark_packed(order: Order, *, source: str, donor: str = "") -> Order:
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != Order.Status.OPEN:
            raise DeliveryError(_("Only an open order can be packed."))
        OrderLine.objects.filter(order=locked).update(packed=F("quantity"))
        locked.status, locked.source, locked.packed_at = Order.Status.PACKED, source, timezone.now()
        locked.donor = donor or locked.donor
        locked.reason = ""
        locked.save(update_fields=["status", "source", "packed_at", "donor", "reason"])
    return locked


def do_export_supplier_list(
    *, actor: Any, community: Place, supplier: str, reason: str, protected: bool
) -> bytes:
    content, rows = supplier_xlsx(community, supplier)
    record_export(
        actor=actor,
        instance=community,
        kind="supplier_orders",
        rows=rows,
        reason=reason,
        protected=protected,
    )
    return content


# ----------------------------------------------------------------------------- runs


@dataclass(frozen=True)
class PlanResult:
    runs: int
    carried: int
    unmet: int
    metres: int
    synthetic: bool


def unmet_text(unmet: Any) -> str:
    """The router's reason in the reader's language."""
    f = dict(unmet.figures)
    if unmet.code == "no_carrier":
        return (
            _(
                "Compound %(compound)s is sealed and no active volunteer lives inside it or holds a pass for it."
            )
            % f
        )
    if unmet.code == "too_heavy":
        return (
            _(
                "It weighs %(kg)s kg in %(bags)s bags; a volunteer who may enter carries at most "
                "%(most_kg)s kg or %(most_bags)s bags a run: split the order."
            )
            % f
        )
    if unmet.code == "window":
        return (
            _(
                "It must arrive between %(earliest)s and %(latest)s; the earliest a volunteer who may "
                "enter can be there is %(possible)s (runs from %(first)s)."
            )
            % f
        )
    return (
        ngettext(
            "The %(carriers)s volunteer who may enter has %(runs)s runs (%(room_kg)s kg) before "
            "%(latest)s; the orders due by then weigh %(due_kg)s kg. Add a volunteer or a pass.",
            "The %(carriers)s volunteers who may enter have %(runs)s runs (%(room_kg)s kg) before "
            "%(latest)s; the orders due by then weigh %(due_kg)s kg. Add a volunteer or a pass.",
            f["carriers"],
        )
        % f
    )


def do_plan_runs(
    *, actor: Any, community: Place, day: dt.date | None = None, params: Any = None
) -> PlanResult:
    """Route the community's packed orders not yet on a run (OR-Tools, :mod:`problem` and
    :mod:`linli.domain.delivery`); store the runs, open for the volunteers who may enter, and
    the reason on every order that cannot be carried. Serialised per community."""
    from linli.domain.delivery import solve

    from .problem import build

    day = day or timezone.localdate()
    with transaction.atomic():
        Place.objects.select_for_update().get(pk=community.pk)
        orders = list(
            Order.objects.filter(place__code__startswith=community.code, status=Order.Status.PACKED)
            .exclude(stops__run__status__in=[Run.Status.OPEN, Run.Status.TAKEN])
            .select_related("place")
            .prefetch_related("lines__item")
        )
        built = build(community, orders, params)
        solution = solve(built.problem)
        stop_compound = {s.id: s.compound for s in built.problem.stops}
        for route in solution.routes:
            first = route.visits[0].stop
            run = Run.objects.create(
                community=community,
                gate=built.gates[stop_compound[first]],
                day=day,
                start=route.start,
                metres=route.metres,
                kg=route.kg,
                proposed_id=route.carrier,
            )
            RunStop.objects.bulk_create(
                RunStop(run=run, order_id=v.stop, seq=k, eta=v.arrival)
                for k, v in enumerate(route.visits)
            )
        Order.objects.filter(pk__in=[v.stop for r in solution.routes for v in r.visits]).update(
            reason=""
        )
        for unmet in solution.unmet:
            Order.objects.filter(pk=unmet.stop).update(reason=unmet_text(unmet)[:300])
        unrouted = set(built.orders) ^ {o.pk for o in orders}
        if unrouted:
            Order.objects.filter(pk__in=unrouted).update(
                reason=_("The address is above compound level: carry it by hand.")
            )
    return PlanResult(
        len(solution.routes), solution.served, len(solution.unmet), solution.metres, built.synthetic
    )


def may_enter(volunteer: Volunteer, run: Run) -> list[str]:
    """Names of the run's compounds the volunteer may not enter (the guardianship reach
    rule); empty when they may carry the whole run."""
    from linli.domain.matching import can_reach

    passes = frozenset(p.code for p in volunteer.passes.all())
    home = volunteer.place.code[:16]
    compounds = {
        p.code: p
        for p in Place.objects.filter(
            level=Level.COMPOUND,
            code__in={s.order.place.code[:16] for s in run.stops.select_related("order__place")},
        )
    }
    sealed = {c for c, p in compounds.items() if p.sealed}
    return [
        p.name
        for c, p in compounds.items()
        if not can_reach(c, home=home, passes=passes, status=volunteer.status, sealed=sealed)
    ]


def do_take_run(*, actor: Any, run: Run, volunteer: Volunteer | None = None) -> Run:
    """A volunteer takes an open run (or the secretary gives it to ``volunteer``). Only a
    volunteer who may enter every compound of the run; of two taking it at the same moment,
    one wins (a conditional UPDATE) and the other is told."""
    volunteer = volunteer or getattr(actor, "volunteer", None)
    if volunteer is None:
        raise DeliveryError(_("Only a volunteer can carry a run."))
    barred = may_enter(volunteer, run)
    if barred:
        raise DeliveryError(
            _(
                "This volunteer may not enter %(compounds)s: it is sealed and they live outside without a pass."
            )
            % {"compounds": "、".join(barred)}
        )
    with transaction.atomic():
        won = Run.objects.filter(pk=run.pk, carrier__isnull=True, status=Run.Status.OPEN).update(
            carrier=volunteer, status=Run.Status.TAKEN, taken_at=timezone.now()
        )
        if not won:
            raise DeliveryError(_("Someone else has just taken this run."))
        Order.objects.filter(stops__run=run, status=Order.Status.PACKED).update(
            status=Order.Status.OUT
        )
        run.refresh_from_db()
        record_changes(
            Run,
            [(run.pk, LogEntry.Action.UPDATE, {"carrier": ["None", str(volunteer.pk)]})],
            actor=actor,
        )
    return run


def _carrier_stop(actor: Any, stop: RunStop) -> RunStop:
    volunteer = getattr(actor, "volunteer", None)
    if volunteer is None or stop.run.carrier_id != volunteer.pk:
        raise DeliveryError(_("Only the volunteer carrying this run can record it."))
    return stop


def do_deliver(*, actor: Any, stop: RunStop, photo: Any = None) -> Order:
    """Handed over (a tap, an optional photo): the order is delivered and, for a ward, the
    delivery is the guardian's contact (it closes an open escalation)."""
    from linli.guardianship.services import do_log_contact

    _carrier_stop(actor, stop)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=stop.order_id)
        if order.status == Order.Status.DELIVERED:
            return order  # a second tap
        if order.status != Order.Status.OUT:
            raise DeliveryError(_("This order is not out for delivery."))
        order.status, order.closed_at = Order.Status.DELIVERED, timezone.now()
        if photo is not None:
            order.photo = photo
        order.save(update_fields=["status", "closed_at", "photo"])
        if order.ward_id:
            items = "、".join(line.label for line in order.lines.all())
            do_log_contact(
                actor=actor,
                ward=order.ward,
                method="visit",
                provided=(_("Delivery: %(items)s") % {"items": items})[:300],
                photo=photo,
                client_id=f"delivery-{order.pk}",
            )
        _close_run_if_done(stop.run)
    return order


def do_fail_delivery(*, actor: Any, stop: RunStop, reason: str = "") -> Order:
    """Nobody answered the door: the order failed and, for a ward, escalates as a missed
    contact does (to the backup guardian first)."""
    from linli.guardianship.services import open_escalation

    _carrier_stop(actor, stop)
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=stop.order_id)
        if order.status != Order.Status.OUT:
            raise DeliveryError(_("This order is not out for delivery."))
        order.status, order.closed_at = Order.Status.FAILED, now
        order.reason = (reason.strip() or _("Nobody answered the door."))[:300]
        order.save(update_fields=["status", "closed_at", "reason"])
        if order.ward_id:
            open_escalation(ward=order.ward, level=Escalation.Level.BACKUP, due_since=now, now=now)
        _close_run_if_done(stop.run)
    return order


def _close_run_if_done(run: Run) -> None:
    if not Order.objects.filter(stops__run=run, status=Order.Status.OUT).exists():
        Run.objects.filter(pk=run.pk).update(status=Run.Status.DONE)


# ----------------------------------------------------------------------------- recurring


def do_renew_recurring_orders(*, today: dt.date | None = None) -> int:
    """Place today's copy of every recurring order that is due. Each due order is claimed
    with a conditional UPDATE of its next date, so two workers never place the same copy."""
    today = today or timezone.localdate()
    made = 0
    for order in Order.objects.filter(every_days__isnull=False, next_on__lte=today).order_by("pk"):
        with transaction.atomic():
            claimed = Order.objects.filter(pk=order.pk, next_on=order.next_on).update(
                next_on=today + dt.timedelta(days=order.every_days)
            )
            if not claimed:
                continue
            copy = Order.objects.create(
                place=order.place,
                ward=order.ward,
                household=order.household,
                placed_by=order.placed_by,
                link_key=order.link_key,
                client_id=f"repeat-{order.pk}-{today.isoformat()}",
                payer=order.payer,
                urgency=order.urgency,
                note=order.note,
                due_by=order.due_by,
                repeat_of=order,
            )
            OrderLine.objects.bulk_create(
                OrderLine(order=copy, item_id=line.item_id, text=line.text, quantity=line.quantity)
                for line in order.lines.all()
            )
            made += 1
    return made
