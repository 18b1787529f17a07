"""A secretary starts a roll-call for a sealed compound on a phone; answers arrive through the
signed callback; the board turns green/yellow/red; the red ward becomes a task for its
guardian, who logs a visit on a phone, and the ward turns green."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY, build_neighbourhood

SECRET = "browser-secret"


@pytest.fixture
def scene(live_places, settings):
    from linli.accounts.models import User
    from linli.guardianship.models import Assignment
    from linli.register.models import Resident, Ward

    settings.LINLI_REACH_VOICE_BACKEND = settings.LINLI_REACH_SMS_BACKEND = "locmem"
    settings.LINLI_REACH_CALLBACK_SECRET = SECRET
    n = build_neighbourhood(IN_COMMUNITY, "甲")
    n.compound.sealed = True
    n.compound.save()
    User.objects.create_user(
        username="secretary", password="linli-demo", role="community_secretary", place=n.community
    )
    guardian = User.objects.create_user(
        username="guardian", password="linli-demo", role="volunteer", place=n.community
    )
    n.volunteer.account = guardian
    n.volunteer.save()
    Assignment.objects.create(ward=n.ward, role="primary", volunteer=n.volunteer)
    others = []
    for i, name in enumerate(["甲二", "甲三"]):
        resident = Resident.objects.create(
            place=n.building,
            household=n.household,
            name=name,
            sex="M",
            birth_date=dt.date(1950, 1, 1),
            phone=f"1390000000{i}",
        )
        others.append(Ward.objects.create(resident=resident, risk="high"))
    return n, others


def press(live_server, message, dtmf: str, call_id: str) -> None:
    from linli.domain.reach.signing import callback_signature

    body = json.dumps(
        [{"call_id": call_id, "out_id": message.key, "status_code": "200000", "dtmf": dtmf}]
    ).encode()
    at = int(time.time())
    request = urllib.request.Request(
        f"{live_server.url}/reach/callbacks/locmem-voice/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Linli-Signature": f"t={at},v1={callback_signature(SECRET, at, body)}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def login(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "linli-demo")
    page.get_by_role("button", name="登录").click()


def test_roll_call_board_turns_green_yellow_red_and_a_visit_makes_it_green(
    phone, browser, live_server, scene
):
    from linli.reach.models import RollCall, RollCallEntry
    from linli.reach.outbox import send_due
    from linli.reach.services import do_close_overdue

    n, (second, third) = scene
    login(phone, live_server, "secretary", f"/reach/?place={n.compound.code}")
    phone.fill("#id_reason", "地震")
    phone.fill("#id_minutes", "30")
    phone.get_by_role("button", name="发起点名").click()
    total = phone.locator("[data-testid=board-total]")
    expect(total.locator("[data-colour=waiting]")).to_contain_text("3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    send_due()
    entries = {e.ward_id: e for e in RollCallEntry.objects.all()}
    press(live_server, entries[second.pk].messages.get(), "1", "c-second")
    press(live_server, entries[third.pk].messages.get(), "2", "c-third")
    expect(total.locator("[data-colour=green]")).to_contain_text("1")
    expect(total.locator("[data-colour=yellow]")).to_contain_text("1")

    from django.utils import timezone

    RollCall.objects.update(deadline=timezone.now() - dt.timedelta(seconds=1))  # time is up
    assert do_close_overdue() == 1
    expect(total.locator("[data-colour=red]")).to_contain_text("1")
    expect(phone.locator(f"[data-ward='{n.ward.pk}']")).to_contain_text("已派任务")

    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    guardian = context.new_page()
    login(guardian, live_server, "guardian", f"/guardianship/wards/{n.ward.pk}/")
    guardian.get_by_label("上门").check()
    guardian.get_by_role("button", name="保存").click()
    expect(guardian.locator("body")).to_contain_text("上门")
    # The phone's outbox sends the visit in the background: wait until it has arrived
    # before the phone is put away.
    for _ in range(100):
        if n.ward.contacts.exists():
            break
        guardian.wait_for_timeout(100)
    assert n.ward.contacts.exists()
    context.close()

    expect(total.locator("[data-colour=red]")).to_contain_text("0")
    expect(total.locator("[data-colour=green]")).to_contain_text("2")
