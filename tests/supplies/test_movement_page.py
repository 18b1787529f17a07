"""The movement page: receipts, issues, transfers and corrections recorded by a supply manager;
bad input says what is wrong and writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from linli.supplies.models import Balance, LedgerEntry, StockLocation

from .helpers import locations, masks

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(secretary):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(secretary)
    return client


def post(client, location, **data):
    return client.post(reverse("supplies:move", kwargs={"pk": location.pk}), data)


def on_hand(location) -> int:
    balance = Balance.objects.filter(location=location).first()
    return balance.quantity if balance else 0


def test_receive_issue_transfer_and_correct(signed_in, inside):
    warehouse, post_ = locations(inside.community.code)
    masks()
    response = post(
        signed_in, warehouse, kind="receive", item="mask", quantity="500", source="爱心企业"
    )
    assert response.status_code == 302
    post(signed_in, warehouse, kind="issue", item="mask", quantity="40", note="网格员张三")
    post(signed_in, warehouse, kind="transfer", item="mask", quantity="100", destination=post_.pk)
    post(signed_in, warehouse, kind="correct", item="mask", delta="-3", note="盘点短少")
    assert on_hand(warehouse) == 500 - 40 - 100 - 3
    assert on_hand(post_) == 100
    kinds = list(LedgerEntry.objects.filter(location=warehouse).values_list("kind", "quantity"))
    assert sorted(kinds) == sorted(
        [("receive", 500), ("issue", -40), ("transfer_out", -100), ("correction", -3)]
    )
    assert LedgerEntry.objects.get(kind="receive").source == "爱心企业"
    page = signed_in.get(reverse("supplies:ledger", kwargs={"pk": warehouse.pk}))
    assert "爱心企业" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "issue", "item": "mask", "quantity": "999"}, "only 10 on hand"),
        ({"kind": "issue", "item": "mask", "quantity": "-5"}, "must be more than 0"),
        ({"kind": "receive", "item": "mask", "quantity": "abc"}, "is not a whole number"),
        ({"kind": "receive", "item": "gold", "quantity": "1"}, "Unknown item"),
        ({"kind": "correct", "item": "mask", "delta": "4", "note": " "}, "needs a reason"),
        ({"kind": "transfer", "item": "mask", "quantity": "1"}, "Choose where the stock goes"),
        ({"kind": "steal", "item": "mask", "quantity": "1"}, "what kind of movement"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(signed_in, inside, data, message):
    warehouse, _post = locations(inside.community.code)
    masks()
    post(signed_in, warehouse, kind="receive", item="mask", quantity="10")
    before = LedgerEntry.objects.count()
    response = post(signed_in, warehouse, **data)
    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert LedgerEntry.objects.count() == before
    assert on_hand(warehouse) == 10


def test_transfer_to_a_location_out_of_scope_is_not_found(signed_in, inside, outside):
    warehouse, _post = locations(inside.community.code)
    elsewhere = StockLocation.objects.create(
        place=outside.community, name="别处仓库", kind="warehouse"
    )
    masks()
    post(signed_in, warehouse, kind="receive", item="mask", quantity="10")
    response = post(
        signed_in, warehouse, kind="transfer", item="mask", quantity="5", destination=elsewhere.pk
    )
    assert response.status_code == 404
    assert on_hand(warehouse) == 10 and on_hand(elsewhere) == 0


def test_a_requester_cannot_record_movements(make_user, inside):
    warehouse, _post = locations(inside.community.code)
    client = Client()
    client.force_login(make_user("taskforce_lead"))
    masks()
    response = post(client, warehouse, kind="receive", item="mask", quantity="10")
    assert response.status_code == 403
    assert on_hand(warehouse) == 0
