"""The supplies back office: a secretary adds stock locations in her own community only, and
reads (but does not change) the item catalogue."""

import pytest
from django.test import Client
from django.urls import reverse

from linli.supplies.models import Item, StockLocation

pytestmark = pytest.mark.django_db


def add_location(client, place):
    return client.post(
        reverse("admin:supplies_stocklocation_add"),
        {"name": "北门卡口", "kind": "checkpoint", "place": place.pk, "weight": 1, "minimum": 0},
    )


def test_a_secretary_adds_a_location_in_her_community_only(secretary, inside, outside):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(secretary)
    refused = add_location(client, outside.community)
    assert refused.status_code == 200  # the form again, with the error on the place
    assert "Select a valid choice" in refused.content.decode()
    assert not StockLocation.objects.exists()
    assert add_location(client, inside.compound).status_code == 302
    assert StockLocation.objects.get().place == inside.compound


def test_only_a_system_admin_changes_the_item_catalogue(secretary, make_user):
    item = Item.objects.create(code="n95", name="N95口罩", unit="个")
    client = Client()
    client.force_login(secretary)
    change = reverse("admin:supplies_item_change", args=[item.pk])
    assert client.get(reverse("admin:supplies_item_changelist")).status_code == 200
    client.post(change, {"code": "n95", "name": "改名", "unit": "个", "low_days": 3})
    assert Item.objects.get().name == "N95口罩"
    admin_client = Client()
    admin_client.force_login(make_user("system_admin"))
    admin_client.post(change, {"code": "n95", "name": "N95 口罩", "unit": "个", "low_days": 3})
    assert Item.objects.get().name == "N95 口罩"
