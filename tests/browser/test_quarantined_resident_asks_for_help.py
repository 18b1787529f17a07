"""On a phone, a home-quarantined resident asks for help through her request link; a
psychologist signs in, takes the case and writes two notes; her guardian sees only the one
marked shareable (she agreed to share, but not psychological details)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.conftest import IN_COMMUNITY, build_neighbourhood
from tests.services.conftest import build_scene

SHARED = "请家属每天陪她在阳台走一走"
PRIVATE = "焦虑评估：中度，睡眠差"


@pytest.fixture
def help_scene(live_places):
    return build_scene(build_neighbourhood(IN_COMMUNITY, "甲"))


def sign_in(page, url, username, next_url):
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "linli-demo")
    page.get_by_role("button", name="登录").click()


def new_phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    return context, context.new_page()


def test_a_quarantined_resident_asks_a_psychologist_takes_it_and_the_guardian_sees_only_shared(
    browser, phone, live_server, help_scene
):
    from linli.services.links import make_link
    from linli.services.models import ServiceRequest

    scene = help_scene
    phone.goto(f"{live_server.url}/services/ask/{make_link(resident_id=scene.resident.pk)}/")
    body = phone.locator("body")
    expect(phone.locator("#ask-form")).to_be_visible()
    for personal in (scene.resident.name, scene.resident.phone, "甲花园"):
        expect(body).not_to_contain_text(personal)
    phone.select_option("#ask-form select[name=category]", "psychological")
    phone.fill("#ask-form textarea[name=description]", "隔离第五天，很焦虑，晚上睡不着")
    phone.fill("#ask-form input[name=preferred_times]", "晚上八点后")
    phone.check("#ask-form input[name=guardian_consent]")
    phone.locator("#ask-form button[type=submit]").click()
    expect(phone.locator("#ask-done")).to_be_visible()
    request = ServiceRequest.objects.get()
    assert (request.urgency, request.professional) == ("urgent", scene.psychologist)

    context, psychologist = new_phone(browser)
    sign_in(psychologist, live_server.url, "psychologist", "/services/")
    psychologist.locator("#my-cases a").first.click()
    expect(psychologist.locator("#case-description")).to_contain_text("很焦虑")
    psychologist.locator("#take-form button").click()
    expect(psychologist.locator("#case-status")).to_have_text("联系中")
    note = psychologist.locator("#note-form")
    note.locator("textarea").fill(SHARED)
    note.locator("input[name=shareable]").check()
    note.locator("input[name=psychological]").uncheck()
    note.locator("button[type=submit]").click()
    expect(psychologist.locator("#notes")).to_contain_text(SHARED)
    note = psychologist.locator("#note-form")
    note.locator("textarea").fill(PRIVATE)
    note.locator("button[type=submit]").click()
    expect(psychologist.locator("#notes")).to_contain_text(PRIVATE)
    context.close()

    context, guardian = new_phone(browser)
    sign_in(guardian, live_server.url, "guardian", "/services/")
    guardian.locator("#guarded a").first.click()
    expect(guardian.locator("#notes")).to_contain_text(SHARED)
    page = guardian.locator("body")
    expect(page).not_to_contain_text(PRIVATE)
    expect(page).not_to_contain_text("很焦虑")  # her own words stay with the professionals
    expect(guardian.locator("#note-form")).to_have_count(0)
    context.close()
