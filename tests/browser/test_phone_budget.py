"""The phone budget (bench/phone/run.py): a 1,000-household grid's screening walk on slow 3G,
first load and repeat load under the service worker. Skipped unless LINLI_BENCH_PHONE=1 (it
takes a while); the page's size is checked always."""

from __future__ import annotations

import os
import time

import pytest

from tests.browser.offline import sign_in, wait_for_service_worker
from tests.conftest import IN_COMMUNITY

SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}


@pytest.fixture
def big_grid(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.register.models import Household, Resident

    community = Place.objects.get(code=IN_COMMUNITY)
    grid = Place.objects.create(
        code=IN_COMMUNITY + "01", name="第1网格", level="grid", parent=community
    )
    households, residents = [], []
    for b in range(1, 21):
        building = Place.objects.create(
            code=f"{grid.code}01{b:03d}", name=f"{b}栋", level="building", parent=grid
        )
        for room in range(50):
            households.append(
                Household(
                    code=f"{building.code}{room:04d}",
                    place=building,
                    room=str(room),
                    address=f"{b}栋{room}",
                )
            )
    Household.objects.bulk_create(households)
    for h in Household.objects.filter(place__parent=grid):
        residents.append(
            Resident(place=h.place, household=h, name=f"户主{h.code[-6:]}", relation="户主")
        )
    Resident.objects.bulk_create(residents)
    User.objects.create_user(
        username="grid_worker", password="linli-demo", role="grid_worker", place=grid
    )
    return len(households)


def test_the_walk_of_a_thousand_households_is_a_small_page(browser, live_server, big_grid):
    assert big_grid == 1000
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "grid_worker", "/screening/")
    size = len(page.content().encode())
    assert page.locator(".stop").count() == 50
    assert size < 120_000, size
    if os.environ.get("LINLI_BENCH_PHONE") != "1":
        context.close()
        return
    wait_for_service_worker(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    first = []
    for _ in range(3):
        fresh = browser.new_context(
            viewport={"width": 375, "height": 812},
            locale="zh-CN",
            storage_state=context.storage_state(),
        )
        p = fresh.new_page()
        s = fresh.new_cdp_session(p)
        s.send("Network.enable")
        s.send("Network.emulateNetworkConditions", SLOW_3G)
        t = time.perf_counter()
        p.goto(f"{live_server.url}/screening/", wait_until="load")
        first.append(time.perf_counter() - t)
        fresh.close()
    repeat = []
    for _ in range(3):
        t = time.perf_counter()
        page.reload(wait_until="load")
        repeat.append(time.perf_counter() - t)
    offline = []
    context.set_offline(True)
    for _ in range(3):
        t = time.perf_counter()
        page.reload(wait_until="load")
        offline.append(time.perf_counter() - t)
    context.close()
    print(
        f"\nphone budget, 1,000 households, page {size / 1000:.0f} kB, slow 3G:"
        f" first load {min(first):.2f}-{max(first):.2f} s (goal <= 3 s),"
        f" repeat load online {min(repeat):.2f}-{max(repeat):.2f} s (network first),"
        f" repeat load offline from the service worker {min(offline):.2f}-{max(offline):.2f} s"
        " (goal <= 1 s)"
    )
