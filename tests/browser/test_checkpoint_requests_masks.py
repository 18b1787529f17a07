"""On a phone, a checkpoint lead asks for masks; the logistics lead approves part of it; the
stock and days of supply at the checkpoint update."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.conftest import IN_COMMUNITY


@pytest.fixture
def supplies_scene(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.supplies.models import Item, StockLocation
    from linli.supplies.services import do_issue_stock, do_receive_stock

    community = Place.objects.get(code=IN_COMMUNITY)
    masks = Item.objects.create(code="mask", name="口罩", unit="个")
    warehouse = StockLocation.objects.create(place=community, name="社区仓库", kind="warehouse")
    post = StockLocation.objects.create(place=community, name="东门卡口", kind="checkpoint")
    do_receive_stock(actor=None, item=masks, location=warehouse, quantity=200)
    do_receive_stock(actor=None, item=masks, location=post, quantity=80)
    do_issue_stock(actor=None, item=masks, location=post, quantity=70)  # 10 a day this week
    for username, role in [
        ("checkpoint_lead", "taskforce_lead"),
        ("logistics", "community_secretary"),
    ]:
        User.objects.create_user(
            username=username, password="linli-demo", role=role, place=community
        )
    return warehouse, post


def sign_in(page, url, username, next_url):
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "linli-demo")
    page.get_by_role("button", name="登录").click()


def test_a_checkpoint_lead_requests_masks_and_the_logistics_lead_approves_part(
    browser, phone, live_server, supplies_scene
):
    from linli.supplies.models import Balance, SupplyRequest

    warehouse, post = supplies_scene
    sign_in(phone, live_server.url, "checkpoint_lead", "/supplies/")
    line = phone.locator(f"#stock-{post.pk}-mask")
    expect(line.locator(".on-hand")).to_have_text("10")
    expect(line.locator(".days")).to_have_text("1.0")
    phone.select_option("#request-form select[name=location]", str(post.pk))
    phone.select_option("#request-form select[name=item]", "mask")
    phone.fill("#request-form input[name=quantity]", "150")
    phone.fill("#request-form input[name=reason]", "夜班")
    phone.locator("#request-form button[type=submit]").click()
    expect(phone.locator("#requests")).to_contain_text("东门卡口")
    request = SupplyRequest.objects.get()

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    lead = context.new_page()
    sign_in(
        lead,
        live_server.url,
        "logistics",
        f"/supplies/locations/{warehouse.pk}/allocate/?item=mask",
    )
    qty = lead.locator(f"input[name=qty-{request.pk}]")
    expect(qty).to_have_value("150")  # enough stock: the fair proposal is all of it
    qty.fill("80")
    lead.locator("#allocation button[type=submit]").click()
    line = lead.locator(f"#stock-{post.pk}-mask")
    expect(line.locator(".on-hand")).to_have_text("90")
    expect(line.locator(".days")).to_have_text("9.0")
    expect(lead.locator(f"#stock-{warehouse.pk}-mask .on-hand")).to_have_text("120")
    context.close()
    request.refresh_from_db()
    assert (request.status, request.approved_quantity) == ("fulfilled", 80)
    assert Balance.objects.get(location=post).quantity == 90
