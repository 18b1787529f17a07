"""A sealed compound with a ward, her guardian (a volunteer living inside, with an account),
an outsider volunteer, a catalogue and a stock location."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class Sealed:
    n: object
    guardian_user: object
    outsider: object
    outsider_user: object
    rice: object
    medicine: object
    location: object


def make_sealed(inside, make_user) -> Sealed:
    from linli.accounts.models import User
    from linli.deliveries.models import DeliveryItem
    from linli.guardianship.models import Assignment, Volunteer
    from linli.places.models import Place
    from linli.supplies.models import Item, StockLocation
    from linli.supplies.services import do_receive_stock

    inside.compound.sealed = True
    inside.compound.save()
    guardian_user = make_user("volunteer")
    inside.volunteer.account = guardian_user
    inside.volunteer.save()
    Assignment.objects.create(ward=inside.ward, role="primary", volunteer=inside.volunteer)
    other = Place.objects.create(
        code=inside.grid.code + "02",
        name="甲二区",
        level="compound",
        parent=inside.grid,
        x=600,
        y=200,
    )
    outsider_user = User.objects.create_user(
        username="outsider", password="pw-for-tests-1", role="volunteer", place=inside.community
    )
    outsider = Volunteer.objects.create(place=other, name="外面的志愿者", account=outsider_user)
    rice = DeliveryItem.objects.create(
        item=Item.objects.create(code="rice5", name="大米5kg", unit="袋"), kind="staple", kg=5
    )
    medicine = DeliveryItem.objects.create(
        item=Item.objects.create(code="amlodipine", name="降压药", unit="盒"),
        kind="medicine",
        kg=0.1,
        prescription=True,
    )
    location = StockLocation.objects.create(
        place=inside.community, name="社区仓库", kind="warehouse"
    )
    for item, qty in ((rice.item, 10), (medicine.item, 10)):
        do_receive_stock(actor=None, item=item, location=location, quantity=qty, source="捐赠")
    return Sealed(inside, guardian_user, outsider, outsider_user, rice, medicine, location)


@pytest.fixture
def sealed(inside, make_user) -> Sealed:
    return make_sealed(inside, make_user)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English here (zh-hans is the default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
