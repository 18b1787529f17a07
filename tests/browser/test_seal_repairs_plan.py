"""Sealing a compound in the demo shows the new gaps and the repaired plan at once."""

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, build_neighbourhood


@pytest.fixture
def sealed_scene(live_places):
    from linli.accounts.models import User
    from linli.guardianship.models import Trigger, Volunteer
    from linli.guardianship.replan import do_replan_community
    from linli.places.models import Place

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    other = Place.objects.create(
        code=n.grid.code + "02", name="甲小区二期", level="compound", parent=n.grid, x=800, y=0
    )
    Volunteer.objects.create(place=other, name="甲外来志愿者")
    secretary = User.objects.create_user(
        username="community_secretary",
        password="linli-demo",
        role="community_secretary",
        place=n.community,
    )
    do_replan_community(community=n.community, trigger=Trigger.BY_HAND, actor=secretary)
    return n


def test_secretary_seals_a_compound_and_sees_the_gap_and_repaired_plan(
    phone, live_server, sealed_scene
):
    phone.goto(f"{live_server.url}/accounts/login/?next=/guardianship/coverage/{IN_COMMUNITY}/")
    phone.fill("#id_username", "community_secretary")
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("#coverage-percent")).to_have_text("100.0%")
    expect(phone.locator("#gap-count")).to_have_text("0")

    asked = []
    phone.once("dialog", lambda d: (asked.append(d.message), d.accept()))  # sealing asks first
    phone.get_by_role("button", name="封闭 甲花园").click()

    expect(phone.get_by_role("button", name="解封 甲花园")).to_be_visible()
    assert asked and "甲花园" in asked[0]
    expect(phone.locator("#gap-count")).to_have_text("1")
    expect(phone.locator("#coverage-percent")).to_have_text("0.0%")
    expect(phone.locator("#gaps")).to_contain_text("甲老人")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
