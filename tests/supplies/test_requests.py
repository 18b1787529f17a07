"""Requests: asked at a post, approved fully or partly by the lead, fulfilled from the warehouse."""

import pytest

from linli.notifications.models import Notification
from linli.supplies.models import Balance, LedgerEntry, SupplyRequest
from linli.supplies.services import (
    SupplyError,
    do_alert_low_stock,
    do_decide_request,
    do_issue_stock,
    do_receive_stock,
    do_request_supplies,
)

from .helpers import locations, masks

pytestmark = pytest.mark.django_db


def test_partial_approval_moves_the_approved_quantity(secretary, inside, make_user):
    lead = make_user("taskforce_lead")
    warehouse, post = locations(inside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=200)
    request = do_request_supplies(actor=lead, location=post, item=item, quantity=150, reason="夜班")
    request = do_decide_request(actor=secretary, request=request, quantity=80, source=warehouse)
    assert request.status == SupplyRequest.Status.FULFILLED and request.approved_quantity == 80
    assert Balance.objects.get(location=warehouse).quantity == 120
    assert Balance.objects.get(location=post).quantity == 80
    assert sorted(e.quantity for e in request.entries.all()) == [-80, 80]
    with pytest.raises(SupplyError, match="already been decided"):
        do_decide_request(actor=secretary, request=request, quantity=10, source=warehouse)


def test_approval_beyond_the_warehouse_stock_is_refused_whole(secretary, inside, make_user):
    lead = make_user("taskforce_lead")
    warehouse, post = locations(inside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=50)
    request = do_request_supplies(actor=lead, location=post, item=item, quantity=100)
    with pytest.raises(SupplyError, match="only 50 on hand"):
        do_decide_request(actor=secretary, request=request, quantity=60, source=warehouse)
    request.refresh_from_db()
    assert request.status == SupplyRequest.Status.PENDING
    assert LedgerEntry.objects.count() == 1  # only the receipt: nothing half-written


def test_bad_approvals_and_rejection(secretary, inside, make_user):
    lead = make_user("taskforce_lead")
    warehouse, post = locations(inside.community.code)
    request = do_request_supplies(actor=lead, location=post, item=masks(), quantity=10)
    with pytest.raises(SupplyError, match="between 0 and 10"):
        do_decide_request(actor=secretary, request=request, quantity=11, source=warehouse)
    with pytest.raises(SupplyError, match="more than 0"):
        do_request_supplies(actor=lead, location=post, item=masks(), quantity=-5)
    rejected = do_decide_request(actor=secretary, request=request, quantity=0, source=warehouse)
    assert rejected.status == SupplyRequest.Status.REJECTED


def test_low_stock_alerts_the_managers_once_a_day(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    item = masks()
    do_receive_stock(actor=secretary, item=item, location=warehouse, quantity=100)
    do_issue_stock(actor=secretary, item=item, location=warehouse, quantity=90)  # ~0.8 days left
    assert do_alert_low_stock() == 1
    assert do_alert_low_stock() == 0
    note = Notification.objects.get(recipient=secretary, kind="low_stock")
    assert "口罩" in note.title and "社区仓库" in note.title


def test_a_request_tells_the_supply_managers(
    secretary, inside, make_user, django_capture_on_commit_callbacks
):
    lead = make_user("taskforce_lead")
    _, post = locations(inside.community.code)
    with django_capture_on_commit_callbacks(execute=True):
        do_request_supplies(actor=lead, location=post, item=masks(), quantity=40)
    note = Notification.objects.get(kind="supply_request")
    assert note.recipient == secretary and "东门卡口" in note.title and "40" in note.title
    assert not Notification.objects.filter(recipient=lead).exists()
