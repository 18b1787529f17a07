import re

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, OUT_COMMUNITY, build_neighbourhood


@pytest.fixture
def secretary_account(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place

    build_neighbourhood(IN_COMMUNITY, "甲")
    build_neighbourhood(OUT_COMMUNITY, "乙")
    return User.objects.create_user(
        username="community_secretary",
        password="linli-demo",
        role="community_secretary",
        place=Place.objects.get(code=IN_COMMUNITY),
    )


def test_secretary_signs_in_on_a_phone_sees_her_community_and_not_another(
    phone, live_server, secretary_account
):
    phone.goto(f"{live_server.url}/places/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    phone.fill("#id_username", "community_secretary")
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()

    expect(phone.locator("h1")).to_have_text("地区")  # back on /places/, in Chinese
    expect(phone.get_by_role("link", name="玉林东路社区居委会")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling

    phone.get_by_role("link", name="玉林东路社区居委会").click()
    expect(phone.locator("h1")).to_contain_text(IN_COMMUNITY)
    expect(phone.get_by_role("link", name="甲第1网格")).to_be_visible()

    response = phone.goto(f"{live_server.url}/places/{OUT_COMMUNITY}/")
    assert response.status == 404
    assert "水井坊" not in phone.content()
