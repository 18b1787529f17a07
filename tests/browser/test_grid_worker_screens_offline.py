"""On a phone, a grid worker screens a household in one tap, loses the connection, screens
another, and both checks arrive once the connection is back."""

import pytest
from playwright.sync_api import expect

from tests.browser.offline import OUTBOX_EMPTY, until
from tests.conftest import IN_COMMUNITY


@pytest.fixture
def walk_scene(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.register.models import Household, Resident

    community = Place.objects.get(code=IN_COMMUNITY)
    grid = Place.objects.create(
        code=IN_COMMUNITY + "01", name="第1网格", level="grid", parent=community
    )
    building = Place.objects.create(
        code=grid.code + "01001", name="1栋", level="building", parent=grid
    )
    households = []
    for room in ("101", "102", "103"):
        household = Household.objects.create(
            code=building.code + room, place=building, room=room, address=f"1栋{room}"
        )
        Resident.objects.create(place=building, household=household, name=f"住户{room}")
        households.append(household)
    User.objects.create_user(
        username="grid_worker", password="linli-demo", role="grid_worker", place=grid
    )
    return households


def test_a_grid_worker_screens_offline_and_both_checks_arrive(phone, live_server, walk_scene):
    from linli.screening.models import Screening

    first, second, _third = walk_scene
    phone.goto(f"{live_server.url}/accounts/login/?next=/screening/")
    phone.fill("#id_username", "grid_worker")
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("#unchecked-count")).to_have_text("3")

    phone.locator(f"#household-{first.pk} button.all-normal").click()  # one tap
    expect(phone.locator("#unchecked-count")).to_have_text("2")
    until(phone, lambda: Screening.objects.count() == 1)
    phone.wait_for_function(OUTBOX_EMPTY, timeout=20_000)
    assert list(Screening.objects.values_list("household_id", flat=True)) == [first.pk]

    phone.context.set_offline(True)
    phone.locator(f"#household-{second.pk} button.all-normal").click()
    expect(phone.locator(f"#household-{second.pk}")).to_have_class("card stop checked")
    expect(phone.locator("#outbox .count")).to_contain_text("1", timeout=10_000)
    phone.wait_for_timeout(500)
    assert Screening.objects.count() == 1  # still on the phone
    queued = phone.evaluate("window.linliOutbox.entries()")
    assert [e["json"]["records"][0]["household"] for e in queued] == [second.pk]

    phone.context.set_offline(False)
    phone.wait_for_function(OUTBOX_EMPTY, timeout=30_000)
    assert sorted(Screening.objects.values_list("household_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    assert all(
        s.all_normal and s.checked_by.username == "grid_worker" for s in Screening.objects.all()
    )
    phone.reload()
    expect(phone.locator("#unchecked-count")).to_have_text("1")
