"""On a phone: a guardian orders for her ward in a sealed compound; the secretary packs it
from stock and plans the runs; the volunteer inside the compound takes the run, delivers and
taps done; the ward's contact log shows the delivery."""

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, build_neighbourhood
from tests.deliveries.conftest import make_sealed

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def scene(live_places, make_user):
    sealed = make_sealed(build_neighbourhood(IN_COMMUNITY, "甲"), make_user)
    secretary = make_user("community_secretary")
    return sealed, secretary


def sign_in(phone, live_server, username, next_url):
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    phone.fill("#id_username", username)
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name="登录").click()


def test_a_ward_behind_a_sealed_gate_gets_her_order(phone, live_server, scene):
    sealed, secretary = scene
    ward_page = f"/guardianship/wards/{sealed.n.ward.pk}/"

    sign_in(phone, live_server, sealed.guardian_user.username, ward_page)
    phone.get_by_role("link", name="订购物资").click()
    phone.select_option("select[name=item_1]", str(sealed.rice.pk))
    phone.fill("input[name=qty_1]", "2")
    phone.select_option("select[name=payer]", "subsidy")
    phone.get_by_role("button", name="下单").click()
    expect(phone.locator("#ward-orders")).to_contain_text("待处理")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    sign_in(phone, live_server, secretary.username, "/deliveries/")
    phone.locator("li[id^=order-] button", has_text="备货").click()
    expect(phone.locator("li[id^=order-]")).to_contain_text("已备货")
    phone.get_by_role("button", name="规划配送路线").click()
    expect(phone.get_by_text(sealed.n.compound.name).first).to_be_visible()

    sign_in(phone, live_server, sealed.guardian_user.username, "/deliveries/runs/")
    phone.get_by_role("button", name="接下这一趟").click()
    expect(phone.locator("ol")).to_contain_text("配送中")
    phone.get_by_role("button", name="已送达").click()
    expect(phone.locator("ol")).to_contain_text("已送达")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.goto(f"{live_server.url}{ward_page}")
    expect(phone.locator("main")).to_contain_text("配送：大米5kg")
    expect(phone.locator("#ward-orders")).to_contain_text("已送达")
