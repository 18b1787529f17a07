"""Issue 18, item 7: a grid worker's checks waiting offline in the phone survived signing out
and were sent later under whoever signed in next. Now the queue belongs to the account and
signing out empties it: the next worker on the same phone sends only their own checks."""

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY

BATCH = "**/api/screenings/batch"


@pytest.fixture
def shared_phone_scene(live_places):
    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.register.models import Household, Resident

    community = Place.objects.get(code=IN_COMMUNITY)
    grid = Place.objects.create(
        code=IN_COMMUNITY + "01", name="第1网格", level="grid", parent=community
    )
    building = Place.objects.create(
        code=grid.code + "01001", name="1栋", level="building", parent=grid
    )
    households = []
    for room in ("101", "102"):
        household = Household.objects.create(
            code=building.code + room, place=building, room=room, address=f"1栋{room}"
        )
        Resident.objects.create(place=building, household=household, name=f"住户{room}")
        households.append(household)
    for name in ("worker_a", "worker_b"):
        User.objects.create_user(
            username=name, password="linli-demo", role="grid_worker", place=grid
        )
    return households


OUTBOX_SIZE = """() => new Promise((done) => {
  const open = indexedDB.open("linli-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("outbox", {keyPath: "id"}).createIndex("account", "account");
  open.onsuccess = () => { const r = open.result.transaction("outbox").objectStore("outbox").count(); r.onsuccess = () => done(r.result); };
})"""
PUT_ENTRY = """() => new Promise((done) => {
  const open = indexedDB.open("linli-offline", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("outbox", {keyPath: "id"}).createIndex("account", "account");
  open.onsuccess = () => { const t = open.result.transaction("outbox", "readwrite"); t.objectStore("outbox").put(%s); t.oncomplete = () => done(true); };
})"""


def sign_in(phone, url: str, username: str) -> None:
    phone.goto(f"{url}/accounts/login/?next=/screening/")
    phone.fill("#id_username", username)
    phone.fill("#id_password", "linli-demo")
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("#unchecked-count")).to_be_visible()


def queue_offline_then_sign_out(phone, url: str, household) -> None:
    """worker_a screens a household while the server cannot be reached, then signs out."""
    sign_in(phone, url, "worker_a")
    phone.route(BATCH, lambda route: route.abort())  # the connection is down
    phone.locator(f"#household-{household.pk} button.all-normal").click()
    phone.wait_for_function("() => document.getElementById('outbox').dataset.total === '1'")
    phone.unroute(BATCH)  # the connection is back
    phone.once("dialog", lambda d: d.accept())  # "1 record not uploaded: sign out anyway?"
    phone.locator(".menu-toggle").click()
    phone.locator("form.sign-out button").click()
    expect(phone.locator("#id_username")).to_be_visible()


def sent_batches(phone) -> list:
    sent: list = []
    phone.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data or "{}")) if "/screenings/batch" in r.url else None
        ),
    )
    return sent


def test_the_next_worker_on_the_phone_never_sends_the_last_ones_checks(
    phone, live_server, shared_phone_scene
):
    from linli.screening.models import Screening

    first, second = shared_phone_scene
    queue_offline_then_sign_out(phone, live_server.url, first)
    assert phone.evaluate(OUTBOX_SIZE) == 0  # signing out emptied the phone

    sent = sent_batches(phone)
    sign_in(phone, live_server.url, "worker_b")
    phone.wait_for_timeout(2000)  # the page sends what waits as soon as it loads
    assert not Screening.objects.exists()
    assert all(batch.get("records") == [] for batch in sent)

    phone.locator(f"#household-{second.pk} button.all-normal").click()  # B's own check
    phone.wait_for_function("() => document.getElementById('outbox').dataset.total === '0'")
    phone.wait_for_timeout(6000)  # held for the undo, then sent
    [screening] = Screening.objects.all()
    assert (screening.household_id, screening.checked_by.username) == (second.pk, "worker_b")


def test_a_queue_left_on_the_phone_is_not_sent_as_another_account(
    phone, live_server, shared_phone_scene
):
    """Even where the browser ignores Clear-Site-Data, another account's queue, or one from
    before queues had owners, is never sent."""
    from linli.accounts.models import User
    from linli.screening.models import Screening

    first, _second = shared_phone_scene
    queue_offline_then_sign_out(phone, live_server.url, first)
    record = {
        "client_id": "left-behind-1",
        "method": "door",
        "household": first.pk,
        "symptoms": [],
        "needs": [],
        "from_risk_area": False,
        "case_contact": False,
    }
    a = User.objects.get(username="worker_a").pk
    for key in (f"linli.screening.queue.{a}", "linli.screening.queue"):
        phone.evaluate(f"localStorage.setItem('{key}', JSON.stringify([{json.dumps(record)}]))")
    entry = {
        "id": "left-behind-1",
        "account": str(a),
        "kind": "json",
        "state": "pending",
        "url": "/api/screenings/batch",
        "json": {"records": [record]},
        "created": 1,
    }
    phone.evaluate(PUT_ENTRY % json.dumps(entry))
    sent = sent_batches(phone)
    sign_in(phone, live_server.url, "worker_b")
    phone.wait_for_timeout(2000)
    assert not Screening.objects.exists()
    assert all(batch.get("records") == [] for batch in sent)
    assert phone.evaluate("localStorage.getItem('linli.screening.queue')") is None
