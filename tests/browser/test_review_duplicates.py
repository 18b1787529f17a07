"""A secretary reviews a duplicate on a phone: side by side, merge, undo."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, build_neighbourhood


@pytest.fixture
def pair_to_review(live_places):
    from django.utils import timezone

    from linli.accounts.models import User
    from linli.dedupe.models import CandidatePair
    from linli.places.models import Place
    from linli.register.models import Resident

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    twin = Resident.objects.create(
        place=n.building,
        name="甲老仁",
        sex="F",
        birth_date=dt.date(1940, 3, 5),
        phone="13911112222",
        address="甲花园1号楼1单元101室",
    )
    CandidatePair.objects.create(
        community=n.community,
        resident_a=n.resident,
        resident_b=twin,
        probability=0.97,
        weight=6.1,
        evidence=[
            {"field": "id", "code": "id.missing", "weight": 0.0},
            {"field": "name", "code": "name.same_pinyin", "weight": 7.7},
            {"field": "birth", "code": "birth.same", "weight": 13.0},
            {"field": "phone", "code": "phone.different", "weight": -2.2},
        ],
        found_at=timezone.now(),
    )
    User.objects.create_user(
        username="community_secretary",
        password="linli-demo",
        role="community_secretary",
        place=Place.objects.get(code=IN_COMMUNITY),
    )
    return n, twin


def test_secretary_merges_and_undoes_on_a_phone(phone, live_server, pair_to_review):
    from linli.register.models import Resident

    n, twin = pair_to_review
    phone.goto(f"{live_server.url}/accounts/login/?next=/dedupe/")
    phone.fill("#id_username", "community_secretary")
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()

    expect(phone.locator("h1")).to_have_text("重复登记")
    expect(phone.get_by_text("姓名同音（拼音相同）")).to_be_visible()
    expect(phone.get_by_text("甲老仁").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling

    phone.get_by_role("button", name="同一人：保留 A").click()
    expect(phone.get_by_text("已合并。可以在下方撤销。")).to_be_visible()
    assert Resident.objects.get(pk=twin.pk).merged_into_id == n.resident.pk

    phone.get_by_role("button", name="撤销").click()
    expect(phone.get_by_text("合并已撤销：两人恢复原状。")).to_be_visible()
    assert Resident.objects.get(pk=twin.pk).merged_into_id is None
    expect(phone.get_by_role("button", name="同一人：保留 A")).to_be_visible()
