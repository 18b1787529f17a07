"""Sources (stock with the fair rule when short, donations, supplier lists), runs for the
volunteers who may enter, the tap at the door and a failed delivery."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.deliveries.models import Order, Run
from linli.deliveries.services import (
    DeliveryError,
    Line,
    do_deliver,
    do_fail_delivery,
    do_pack_from_stock,
    do_place_order,
    do_plan_runs,
    do_send_to_supplier,
    do_take_run,
)
from linli.supplies.models import Balance, LedgerEntry

pytestmark = pytest.mark.django_db


def order(sealed, item, qty, **kw):
    return do_place_order(
        actor=sealed.guardian_user,
        ward=kw.pop("ward", sealed.n.ward),
        lines=[Line(item, "", qty)],
        payer="subsidy",
        urgency=kw.pop("urgency", "normal"),
        note="处方",
    )


def household_order(sealed, item, qty, urgency="normal"):
    return do_place_order(
        actor=None,
        household=sealed.n.household,
        lines=[Line(item, "", qty)],
        payer="self",
        urgency=urgency,
    )


def test_packing_from_stock_issues_through_the_ledger(sealed, secretary):
    o = order(sealed, sealed.rice, 3)
    (packed,) = do_pack_from_stock(actor=secretary, location=sealed.location, orders=[o])
    assert packed.status == "packed" and packed.source == "stock"
    assert Balance.objects.get(item=sealed.rice.item, location=sealed.location).quantity == 7
    assert LedgerEntry.objects.filter(kind="issue", note=f"order {o.pk}").count() == 1


def test_short_stock_is_shared_by_the_fair_rule(sealed, secretary):
    a = order(sealed, sealed.rice, 8)
    b = household_order(sealed, sealed.rice, 8, urgency="urgent")  # weighs double
    do_pack_from_stock(actor=secretary, location=sealed.location, orders=[a, b])
    from linli.domain.supplies.allocation import Claim, allocate

    got = {o.pk: o.lines.get().packed for o in Order.objects.all()}
    rule = allocate(10, [Claim(1, 8, weight=1), Claim(2, 8, weight=2)]).by_id()
    assert got == {a.pk: rule[1].allocated, b.pk: rule[2].allocated}
    assert sum(got.values()) == 10 and got[b.pk] > got[a.pk]
    assert all(o.status == "packed" and "Fair share" in o.reason for o in Order.objects.all())


def test_one_order_past_an_empty_stock_is_refused_with_nothing_written(sealed, secretary):
    from linli.supplies.services import do_issue_stock

    do_issue_stock(actor=None, item=sealed.rice.item, location=sealed.location, quantity=10)
    o = order(sealed, sealed.rice, 1)
    with pytest.raises(DeliveryError, match="donation or a supplier"):
        do_pack_from_stock(actor=secretary, location=sealed.location, orders=[o])
    o.refresh_from_db()
    assert o.status == "open" and LedgerEntry.objects.filter(kind="issue").count() == 1


def test_a_supplier_gets_an_order_list_as_xlsx_and_the_export_is_audited(sealed, secretary):
    from linli.common.audit import exports_of

    o = household_order(sealed, sealed.rice, 2)
    do_send_to_supplier(actor=secretary, order=o, supplier="红旗超市")
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("deliveries:supplier_export") + "?supplier=红旗超市", {"reason": "今天团购"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    totals = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert totals[1] == ("大米5kg", 2)
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert rows[1][0] == sealed.n.compound.name and rows[1][2] == o.pk
    assert sealed.n.resident.name not in str(rows)
    assert exports_of(sealed.n.community).count() == 1


def planned(sealed, secretary):
    o = order(sealed, sealed.rice, 2)
    do_pack_from_stock(actor=secretary, location=sealed.location, orders=[o])
    result = do_plan_runs(actor=secretary, community=sealed.n.community)
    return o, result


def test_runs_go_only_to_volunteers_who_may_enter(sealed, secretary):
    o, result = planned(sealed, secretary)
    assert result.runs == 1 and result.carried == 1
    run = Run.objects.get()
    assert run.proposed == sealed.n.volunteer and run.gate == sealed.n.compound
    with pytest.raises(DeliveryError, match="may not enter"):
        do_take_run(actor=sealed.outsider_user, run=run)
    run.refresh_from_db()
    assert run.carrier is None
    do_take_run(actor=sealed.guardian_user, run=run)
    run.refresh_from_db()
    assert run.carrier == sealed.n.volunteer
    assert Order.objects.get(pk=o.pk).status == "out"


def test_a_pass_lets_an_outsider_take_the_run(sealed, secretary):
    sealed.outsider.passes.add(sealed.n.compound)
    planned(sealed, secretary)
    run = Run.objects.get()
    do_take_run(actor=sealed.outsider_user, run=run)
    assert Run.objects.get().carrier == sealed.outsider


def test_an_order_nobody_may_carry_gets_its_reason(sealed, secretary):
    from linli.guardianship.models import Volunteer

    Volunteer.objects.filter(pk=sealed.n.volunteer.pk).update(status="quarantined")
    o, result = planned(sealed, secretary)
    assert result.runs == 0 and result.unmet == 1
    o.refresh_from_db()
    assert "sealed" in o.reason and sealed.n.compound.code in o.reason


def test_delivery_is_logged_as_the_guardians_contact(sealed, secretary):
    o, _ = planned(sealed, secretary)
    run = Run.objects.get()
    do_take_run(actor=sealed.guardian_user, run=run)
    stop = run.stops.get()
    do_deliver(actor=sealed.guardian_user, stop=stop)
    do_deliver(actor=sealed.guardian_user, stop=stop)  # a second tap changes nothing
    o.refresh_from_db()
    assert o.status == "delivered"
    contact = sealed.n.ward.contacts.get()
    assert contact.method == "visit" and "大米5kg" in contact.provided
    assert Run.objects.get().status == "done"


def test_only_the_carrier_records_the_door(sealed, secretary):
    planned(sealed, secretary)
    run = Run.objects.get()
    do_take_run(actor=sealed.guardian_user, run=run)
    with pytest.raises(DeliveryError):
        do_deliver(actor=sealed.outsider_user, stop=run.stops.get())


def test_a_failed_delivery_escalates_like_a_missed_contact(
    sealed, secretary, django_capture_on_commit_callbacks
):
    from linli.guardianship.models import Assignment, Volunteer
    from linli.notifications.models import Notification

    backup_user = sealed.outsider_user
    sealed.outsider.account = None
    sealed.outsider.save()
    backup = Volunteer.objects.create(place=sealed.n.compound, name="备用", account=backup_user)
    Assignment.objects.create(ward=sealed.n.ward, role="backup", volunteer=backup)
    o, _ = planned(sealed, secretary)
    run = Run.objects.get()
    do_take_run(actor=sealed.guardian_user, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        do_fail_delivery(actor=sealed.guardian_user, stop=run.stops.get())
    o.refresh_from_db()
    assert o.status == "failed"
    escalation = sealed.n.ward.escalations.get()
    assert escalation.level == "backup" and escalation.resolved_at is None
    assert Notification.objects.filter(recipient=backup_user, kind="missed_contact").exists()
