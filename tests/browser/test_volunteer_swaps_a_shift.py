"""On a phone, a volunteer sees their shifts and asks to give one away; the lead approves."""

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, build_neighbourhood
from tests.rostering.conftest import build_scene


@pytest.fixture
def roster_scene(live_places, settings):
    from linli.accounts.models import User
    from linli.rostering.models import RosterShift
    from linli.rostering.services import do_publish_roster, do_start_roster
    from linli.rostering.swaps import swap_offers

    settings.LINLI_JOBS = "eager"
    n = build_neighbourhood(IN_COMMUNITY, "甲")
    scene = build_scene(n)
    lead = User.objects.create_user(
        username="taskforce_lead", password="linli-demo", role="taskforce_lead", place=n.community
    )
    roster = do_start_roster(
        actor=lead, community=scene.community, start=scene.start, days=7, time_limit=3.0
    )
    roster.refresh_from_db()
    assert roster.status == "draft", roster.error
    do_publish_roster(actor=lead, roster=roster)
    shift = next(
        s
        for s in RosterShift.objects.filter(roster=roster, skill="").select_related(
            "roster", "volunteer"
        )
        if swap_offers(s, today=roster.start)
    )
    account = User.objects.create_user(
        username="volunteer", password="linli-demo", role="volunteer", place=n.community
    )
    shift.volunteer.account = account
    shift.volunteer.save()
    return roster, shift


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/?next=/rostering/my-shifts/")
    page.fill("#id_username", username)
    page.fill("#id_password", "linli-demo")
    page.get_by_role("button", name="登录").click()


def test_a_volunteer_asks_to_give_a_shift_away_and_the_lead_approves(
    browser, phone, live_server, roster_scene
):
    from linli.rostering.models import RosterShift

    roster, shift = roster_scene
    mine = RosterShift.objects.filter(roster=roster, volunteer=shift.volunteer).count()
    sign_in(phone, live_server.url, "volunteer")
    expect(phone.locator(".shift")).to_have_count(mine)
    expect(phone.locator("#notices")).to_contain_text("已发布")
    card = phone.locator(f"#shift-{shift.pk}")
    expect(card).to_contain_text(shift.checkpoint.name)
    card.get_by_role("link", name="换班或让出").click()
    expect(phone.locator("h1")).to_have_text("换班")
    phone.locator(".offer").first.get_by_role("button", name="申请让出").click()
    expect(phone.locator(".messages").first).to_contain_text("等待组长审批")
    expect(phone.locator("#my-swaps")).to_contain_text("等待组长审批")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    lead = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN").new_page()
    lead.goto(f"{live_server.url}/accounts/login/?next=/rostering/rosters/{roster.pk}/")
    lead.fill("#id_username", "taskforce_lead")
    lead.fill("#id_password", "linli-demo")
    lead.get_by_role("button", name="登录").click()
    lead.locator("#pending-swaps").get_by_role("button", name="批准").click()
    expect(lead.locator(".messages")).to_contain_text("已批准换班")
    expect(lead.locator("#pending-swaps")).to_have_count(0)
    lead.context.close()

    phone.reload()
    expect(phone.locator(".shift")).to_have_count(mine - 1)
    expect(phone.locator(f"#shift-{shift.pk}")).to_have_count(0)
    expect(phone.locator("#notices")).to_contain_text("已获批准")
    expect(phone.locator("#my-swaps")).to_contain_text("已批准")
