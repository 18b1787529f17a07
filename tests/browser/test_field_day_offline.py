"""A field day on a 375-px phone with the connection gone: each field role opens its pages
once online, loses the connection, reloads, does the day's work (three contacts and a shift
check-in for a volunteer, ten households for a grid worker, a note and a status for a
professional, the roster for a taskforce lead), gets the connection back, and everything
arrives exactly once. A status changed meanwhile comes back for a field-by-field choice;
signing out offline clears the phone and sends nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.offline import OUTBOX_EMPTY, sign_in, until, wait_for_service_worker
from tests.conftest import IN_COMMUNITY, build_neighbourhood

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def field_phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def offline_reload(page) -> None:
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-account", re.compile(r"\d+"))


@pytest.fixture
def volunteer_day(live_places, settings):
    """A volunteer guarding three wards with a shift at the gate today."""
    from linli.accounts.models import User
    from linli.guardianship.models import Assignment
    from linli.register.models import Resident, Ward
    from linli.rostering.models import RosterShift, ShiftType
    from linli.rostering.services import do_publish_roster, do_start_roster
    from tests.rostering.conftest import build_scene

    settings.LINLI_JOBS = "eager"
    n = build_neighbourhood(IN_COMMUNITY, "甲")
    scene = build_scene(n)
    lead = User.objects.create_user(
        username="taskforce_lead", password="linli-demo", role="taskforce_lead", place=n.community
    )
    roster = do_start_roster(
        actor=lead, community=scene.community, start=scene.start, days=7, time_limit=3.0
    )
    do_publish_roster(actor=lead, roster=roster)
    shift = RosterShift.objects.filter(roster=roster, volunteer=n.volunteer).first()
    all_day = ShiftType.objects.create(
        community=n.community, code="D", name="全天", start=dt.time(0, 0), end=dt.time(23, 59)
    )
    RosterShift.objects.filter(pk=shift.pk).update(day=timezone.localdate(), shift_type=all_day)
    account = User.objects.create_user(
        username="volunteer", password="linli-demo", role="volunteer", place=n.community
    )
    n.volunteer.account = account
    n.volunteer.save()
    wards = [n.ward]
    for i, name in enumerate(("乙老人", "丙老人"), start=2):
        resident = Resident.objects.create(
            place=n.resident.place, household=n.household, name=name, phone=f"1380000000{i}"
        )
        wards.append(Ward.objects.create(resident=resident, risk="medium", needs=["medicine"]))
    for ward in wards:
        Assignment.objects.get_or_create(
            ward=ward, role="primary", defaults={"volunteer": n.volunteer}
        )
    return account, wards, shift, roster


def test_a_volunteer_logs_three_contacts_and_checks_in_offline(
    field_phone, live_server, volunteer_day
):
    from linli.guardianship.models import Contact
    from linli.offline.models import ClientWrite
    from linli.rostering.models import WorkedSpan

    account, wards, shift, _roster = volunteer_day
    page = field_phone
    sign_in(page, live_server.url, "volunteer", "/rostering/my-shifts/")
    wait_for_service_worker(page)
    page.reload()  # now under the service worker: the page is kept
    page.goto(f"{live_server.url}/guardianship/my-wards/")
    expect(page.locator(".ward-card")).to_have_count(3)
    expect(page.locator(".ward-card a.call").first).to_have_attribute(
        "href", re.compile(r"tel:\d+")
    )
    page.wait_for_timeout(1500)  # the ward pages are saved in the background
    shot(page, "volunteer-my-wards")

    offline_reload(page)
    for ward in wards:
        card = page.locator(f"#my-ward-{ward.pk}")
        card.locator("summary").click()
        card.locator("input[name=provided]").fill("送了药")
        card.get_by_role("button", name="保存联系").click()
        expect(card.locator(".queued")).to_be_visible()
    expect(page.locator("#outbox .count")).to_have_text("3 条待上传（无网络，已存在手机上）")
    shot(page, "volunteer-offline-outbox")
    page.goto(f"{live_server.url}/guardianship/wards/{wards[1].pk}/")  # saved while online
    expect(page.locator("h1")).to_have_text(wards[1].resident.name)
    page.goto(f"{live_server.url}/rostering/my-shifts/")
    page.locator(f"#shift-{shift.pk}").get_by_role("button", name="签到").click()
    expect(page.locator("#outbox .count")).to_contain_text("4 条待上传")
    assert Contact.objects.count() == 0 and WorkedSpan.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    until(page, lambda: Contact.objects.count() == 3 and WorkedSpan.objects.count() == 1)
    page.wait_for_function(OUTBOX_EMPTY, timeout=20_000)
    page.reload()
    page.wait_for_timeout(1000)
    assert Contact.objects.count() == 3  # exactly once, also after a reload and a replay
    assert sorted(Contact.objects.values_list("ward_id", flat=True)) == sorted(w.pk for w in wards)
    assert ClientWrite.objects.filter(user=account).count() == 4


@pytest.fixture
def walk_day(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.register.models import Household, Resident

    community = Place.objects.get(code=IN_COMMUNITY)
    grid = Place.objects.create(
        code=IN_COMMUNITY + "01", name="第1网格", level="grid", parent=community
    )
    households = []
    for b in (1, 2):
        building = Place.objects.create(
            code=f"{grid.code}0100{b}", name=f"{b}栋", level="building", parent=grid
        )
        for room in range(101, 107):
            household = Household.objects.create(
                code=f"{building.code}{room}",
                place=building,
                room=str(room),
                address=f"{b}栋{room}",
            )
            Resident.objects.create(
                place=building,
                household=household,
                name=f"户主{b}{room}",
                relation="户主",
                phone=f"139{b:04d}{room:04d}",
            )
            households.append(household)
    User.objects.create_user(
        username="grid_worker", password="linli-demo", role="grid_worker", place=grid
    )
    return households


def test_a_grid_worker_screens_ten_households_offline(field_phone, live_server, walk_day):
    from linli.screening.models import Screening

    page = field_phone
    sign_in(page, live_server.url, "grid_worker", "/screening/")
    wait_for_service_worker(page)
    page.reload()
    expect(page.locator("h2.building")).to_have_count(2)
    expect(page.locator(f"#household-{walk_day[0].pk}")).to_contain_text("户主1101")
    shot(page, "grid-worker-walk")

    offline_reload(page)
    for household in walk_day[:10]:
        page.locator(f"#household-{household.pk} button.all-normal").click()
    expect(page.locator("#unchecked-count")).to_have_text("2")
    expect(page.locator("#outbox .count")).to_contain_text("10 条待上传")
    page.locator(f"#household-{walk_day[11].pk} button.all-normal").click()
    page.locator("#undo-last button").click()  # the last tap, undone
    expect(page.locator("#unchecked-count")).to_have_text("2")
    shot(page, "grid-worker-offline")
    page.wait_for_timeout(500)
    assert Screening.objects.count() == 0

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    until(page, lambda: Screening.objects.count() == 10)
    page.wait_for_function(OUTBOX_EMPTY, timeout=20_000)
    page.wait_for_timeout(1000)
    assert sorted(Screening.objects.values_list("household_id", flat=True)) == sorted(
        h.pk for h in walk_day[:10]
    )
    page.goto(f"{live_server.url}/screening/?q=户主2106")
    expect(page.locator(".stop")).to_have_count(1)


@pytest.fixture
def case_day(live_places):
    from linli.services.services import do_take_case
    from tests.services.conftest import T0, build_scene, file

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    scene = build_scene(n)
    for user in (scene.psychologist.user, scene.guardian):
        user.set_password("linli-demo")
        user.save()
    n.resident.phone = "13900001111"
    n.resident.save()
    request = file(scene)
    do_take_case(actor=scene.psychologist.user, request=request, now=T0)
    return scene, request


def test_a_professional_offline_sees_a_conflict_and_chooses(field_phone, live_server, case_day):
    from linli.services.services import do_set_status

    scene, request = case_day
    page = field_phone
    url = f"/services/cases/{request.pk}/"
    sign_in(page, live_server.url, "psychologist", url)
    wait_for_service_worker(page)
    page.reload()
    expect(page.locator("a.call").first).to_have_attribute("href", "tel:13900001111")

    offline_reload(page)
    page.locator("#note-form textarea[name=text]").fill("电话回访，情绪平稳")
    page.locator("#note-form button[type=submit]").click()
    page.locator("#status-form select").select_option("in_contact")
    page.locator("#status-form button[type=submit]").click()
    expect(page.locator("#outbox .count")).to_contain_text("2 条待上传")
    do_set_status(actor=scene.lead.user, request=request, status="follow_up")  # meanwhile

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    conflict = page.locator("#outbox form.conflict")
    expect(conflict).to_be_visible(timeout=20_000)
    expect(conflict).to_contain_text("随访")
    shot(page, "professional-conflict")
    request.refresh_from_db()
    assert request.status == "follow_up"  # not overwritten
    assert request.notes.filter(text="电话回访，情绪平稳").count() == 1
    conflict.locator("input[value=mine]").check()
    conflict.get_by_role("button", name="按我的选择上传").click()
    page.wait_for_function(OUTBOX_EMPTY, timeout=20_000)
    request.refresh_from_db()
    assert request.status == "in_contact"
    assert request.notes.filter(text="电话回访，情绪平稳").count() == 1


def test_signing_out_offline_clears_the_phone_and_sends_nothing(
    field_phone, live_server, volunteer_day
):
    from linli.guardianship.models import Contact

    _account, wards, _shift, _roster = volunteer_day
    page = field_phone
    sign_in(page, live_server.url, "volunteer", "/guardianship/my-wards/")
    wait_for_service_worker(page)
    page.reload()
    offline_reload(page)
    card = page.locator(f"#my-ward-{wards[0].pk}")
    card.locator("summary").click()
    card.get_by_role("button", name="保存联系").click()
    expect(page.locator("#outbox .count")).to_contain_text("1 条待上传")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.locator(".menu-toggle").click()  # the compact menu holds the sign-out
    page.locator("form.sign-out button").click()
    expect(page.locator("main h1")).to_have_text("已在本机退出。")
    assert asked and "1" in asked[0]
    assert page.evaluate("caches.keys()") == []
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/guardianship/my-wards/")
    page.wait_for_url("**/accounts/login/**", timeout=20_000)  # the session ended on return
    page.wait_for_timeout(1000)
    assert Contact.objects.count() == 0
    assert page.evaluate("caches.keys()") == []


def test_a_taskforce_lead_opens_the_roster_offline(field_phone, live_server, volunteer_day):
    _account, _wards, _shift, roster = volunteer_day
    page = field_phone
    url = f"/rostering/rosters/{roster.pk}/"
    sign_in(page, live_server.url, "taskforce_lead", url)
    wait_for_service_worker(page)
    page.reload()
    offline_reload(page)
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    shot(page, "lead-roster-offline")
