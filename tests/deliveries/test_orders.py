"""Placing orders: on a ward's behalf (guardian, grid worker, the family's signed link) or a
sealed household's; the rules, idempotency, scope and audit."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from linli.deliveries.models import Order
from linli.deliveries.services import DeliveryError, Line, do_place_order, do_renew_recurring_orders

pytestmark = pytest.mark.django_db


def form(item, qty="1", **extra):
    return {"item_1": str(item.pk), "qty_1": qty, "payer": "subsidy", "urgency": "normal", **extra}


def test_a_guardian_orders_for_her_ward_and_it_is_audited(sealed):
    client = Client()
    client.force_login(sealed.guardian_user)
    url = reverse("deliveries:order_ward", args=[sealed.n.ward.pk])
    response = client.post(url, form(sealed.rice, "2", client_id="c-1"))
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.ward == sealed.n.ward and order.place == sealed.n.building
    assert [(line.item, line.quantity) for line in order.lines.all()] == [(sealed.rice, 2)]
    assert order.placed_by == sealed.guardian_user and order.status == "open"
    assert LogEntry.objects.get_for_object(order).filter(action=LogEntry.Action.CREATE).exists()


def test_the_same_client_id_twice_places_one_order(sealed):
    client = Client()
    client.force_login(sealed.guardian_user)
    url = reverse("deliveries:order_ward", args=[sealed.n.ward.pk])
    for _ in range(2):
        assert client.post(url, form(sealed.rice, client_id="same")).status_code == 302
    assert Order.objects.count() == 1


def test_a_refill_without_prescription_note_is_refused_and_nothing_written(sealed):
    with pytest.raises(DeliveryError, match="prescription"):
        do_place_order(
            actor=sealed.guardian_user,
            ward=sealed.n.ward,
            lines=[Line(sealed.rice, "", 1), Line(sealed.medicine, "", 1)],
            payer="self",
            urgency="normal",
        )
    assert not Order.objects.exists()


def test_medicine_is_due_by_noon(sealed):
    order = do_place_order(
        actor=sealed.guardian_user,
        ward=sealed.n.ward,
        lines=[Line(sealed.medicine, "", 1)],
        payer="self",
        urgency="normal",
        note="处方: 氨氯地平 5mg",
    )
    assert order.due_by == 12 * 60


@pytest.mark.parametrize(
    ("lines", "payer", "message"),
    [
        ([], "self", "at least one"),
        ([("rice", "0")], "self", "between 1 and 99"),
        ([("rice", "x")], "self", "not a whole number"),
        ([("rice", "1")], "nobody", "who pays"),
    ],
)
def test_bad_orders_say_what_is_wrong(sealed, lines, payer, message):
    made = [Line(sealed.rice, "", q) for _name, q in lines]
    with pytest.raises(DeliveryError, match=message):
        do_place_order(
            actor=sealed.guardian_user,
            ward=sealed.n.ward,
            lines=made,
            payer=payer,
            urgency="normal",
        )
    assert not Order.objects.exists()


def test_an_order_for_a_ward_outside_scope_is_404(sealed, outside, make_user):
    client = Client()
    client.force_login(make_user("grid_worker"))
    url = reverse("deliveries:order_ward", args=[outside.ward.pk])
    assert client.post(url, form(sealed.rice)).status_code == 404
    assert not Order.objects.exists()


def test_a_volunteer_who_is_not_the_guardian_cannot_order(sealed):
    client = Client()
    client.force_login(sealed.outsider_user)
    url = reverse("deliveries:order_ward", args=[sealed.n.ward.pk])
    assert client.post(url, form(sealed.rice)).status_code == 403
    assert not Order.objects.exists()


def test_a_grid_worker_orders_for_a_sealed_household(sealed, make_user):
    client = Client()
    client.force_login(make_user("grid_worker"))
    url = reverse("deliveries:order_household", args=[sealed.n.household.pk])
    assert (
        client.post(
            url, {"text_1": "青菜一袋", "qty_1": "1", "payer": "self", "urgency": "urgent"}
        ).status_code
        == 302
    )
    order = Order.objects.get()
    assert order.household == sealed.n.household and order.lines.get().text == "青菜一袋"


def test_the_family_orders_through_the_wards_signed_link(sealed):
    from linli.services.links import make_link

    token = make_link(resident_id=sealed.n.resident.pk)
    client = Client()
    page = client.get(reverse("deliveries:order_link", args=[token]))
    assert page.status_code == 200 and sealed.n.resident.name not in page.content.decode()
    response = client.post(reverse("deliveries:order_link", args=[token]), form(sealed.rice))
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.ward == sealed.n.ward and order.placed_by is None and order.link_key
    assert client.get(reverse("deliveries:order_link", args=[token + "x"])).status_code == 404


def test_recurring_orders_are_renewed_once_when_due(sealed):
    order = do_place_order(
        actor=sealed.guardian_user,
        ward=sealed.n.ward,
        lines=[Line(sealed.medicine, "", 1)],
        payer="subsidy",
        urgency="normal",
        note="处方",
        every_days="7",
    )
    due = order.next_on
    assert do_renew_recurring_orders(today=due - dt.timedelta(days=1)) == 0
    assert do_renew_recurring_orders(today=due) == 1
    assert do_renew_recurring_orders(today=due) == 0  # claimed: not twice
    copy = Order.objects.get(repeat_of=order)
    assert copy.lines.get().item == sealed.medicine and copy.note == "处方"


def test_nothing_personal_in_the_logs(sealed, caplog):
    with caplog.at_level(logging.DEBUG):
        do_place_order(
            actor=sealed.guardian_user,
            ward=sealed.n.ward,
            lines=[Line(sealed.medicine, "", 1)],
            payer="self",
            urgency="normal",
            note="处方 高血压",
        )
    text = caplog.text
    assert "处方" not in text and sealed.n.resident.name not in text and "高血压" not in text
