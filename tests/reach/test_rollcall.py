"""Roll-calls: scope, the board's colours and roll-up, red wards become guardians' tasks,
warnings start them, family confirm through one-time links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from linli.reach import selectors
from linli.reach.models import Kin, RollCall, Warning
from linli.reach.outbox import send_due
from linli.reach.services import ReachError, do_close_overdue, do_start_rollcall, make_kin_link
from linli.register.models import Resident, Ward

from .conftest import signed_post

pytestmark = pytest.mark.django_db


def add_ward(n, name, phone):
    resident = Resident.objects.create(
        place=n.building,
        household=n.household,
        name=name,
        sex="M",
        birth_date=dt.date(1950, 1, 1),
        phone=phone,
    )
    return Ward.objects.create(resident=resident, risk="medium")


def test_a_roll_call_outside_the_starters_scope_is_refused(secretary, outside):
    with translation.override("en"), pytest.raises(ReachError, match="may not start"):
        do_start_rollcall(actor=secretary, place=outside.compound, reason="x")
    assert not RollCall.objects.exists()


def test_a_grid_worker_may_not_start_one(make_user, inside):
    with pytest.raises(ReachError):
        do_start_rollcall(actor=make_user("grid_worker"), place=inside.compound, reason="x")


def test_the_form_answers_404_for_a_place_outside(client, secretary, outside):
    client.force_login(secretary)
    response = client.post(
        "/reach/", {"place": outside.compound.code, "reason": "x", "minutes": 30}
    )
    assert response.status_code == 404


def test_board_colours_and_roll_up_street_district(guarded, secretary, make_user, client):
    add_ward(guarded, "甲二", "13900000001")
    add_ward(guarded, "甲三", "not a phone")
    rollcall = do_start_rollcall(
        actor=secretary, place=guarded.community, reason="地震", minutes=30
    )
    send_due()
    from linli.reach.services import record_answer

    sent = [e.messages.get() for e in rollcall.entries.exclude(state="unreachable").order_by("pk")]
    record_answer(message=sent[1], answer="help", via="keypress")
    total, rows = selectors.board(rollcall, guarded.community)
    assert dict(total.counts) == {"waiting": 1, "yellow": 1, "grey": 1}
    assert [r.code for r in rows] == [guarded.grid.code]
    street = guarded.community.parent
    later = timezone.now() + dt.timedelta(hours=1)
    total, rows = selectors.board(rollcall, street, now=later)
    assert dict(total.counts) == {"red": 1, "yellow": 1, "grey": 1}
    assert rows[0].code == guarded.community.code and rows[0].worst == "red"
    client.force_login(make_user("district_officer"))
    page = client.get(f"/reach/rollcalls/{rollcall.pk}/?place={street.code}")
    assert page.status_code == 200 and guarded.community.name in page.content.decode()


def test_red_wards_become_tasks_for_their_guardian_and_a_visit_turns_them_green(
    guarded, secretary, django_capture_on_commit_callbacks
):
    from linli.guardianship.services import do_log_contact
    from linli.notifications.models import Notification
    from linli.taskforce.models import Task

    rollcall = do_start_rollcall(actor=secretary, place=guarded.compound, reason="火灾", minutes=5)
    later = timezone.now() + dt.timedelta(minutes=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_close_overdue(now=later) == 1
    assert do_close_overdue(now=later) == 0  # one task, however often it runs
    entry = rollcall.entries.get()
    task = Task.objects.get()
    assert entry.task == task and task.priority == "urgent"
    assert Notification.objects.filter(
        recipient=guarded.volunteer.account, kind="rollcall_red"
    ).exists()
    do_log_contact(actor=guarded.volunteer.account, ward=guarded.ward, method="visit")
    entry.refresh_from_db()
    assert entry.state == "safe"
    total, _ = selectors.board(rollcall, guarded.compound, now=later)
    assert dict(total.counts) == {"green": 1}


def test_family_confirm_once_through_the_link_and_see_nothing_else(client, guarded, secretary):
    kin = Kin.objects.create(
        resident=guarded.resident,
        name="女儿",
        relationship="daughter",
        phone="13900000009",
        may_act=True,
    )
    rollcall = do_start_rollcall(actor=secretary, place=guarded.compound, reason="暴雨", minutes=30)
    raw = make_kin_link(kin=kin, entry=rollcall.entries.get())
    page = client.get(f"/reach/family/{raw}/")
    assert page.status_code == 200
    assert (
        guarded.resident.name not in page.content.decode()
    )  # no name, no address, only a question
    assert client.post(f"/reach/family/{raw}/", {"safe": "1"}).status_code == 200
    assert rollcall.entries.get().state == "safe"
    assert client.post(f"/reach/family/{raw}/", {"safe": "0"}).status_code == 410
    assert rollcall.entries.get().state == "safe"
    assert client.get("/reach/family/forged/").status_code == 410


CAP = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{ident}</identifier>
<sender>武侯区应急管理局</sender><status>Actual</status><msgType>Alert</msgType>
<info><event>地震</event><headline>地震预警</headline><area><areaDesc>x</areaDesc>
{codes}</area></info></alert>"""


def cap(ident, *codes):
    values = "".join(
        f"<geocode><valueName>GB2260</valueName><value>{c}</value></geocode>" for c in codes
    )
    return CAP.format(ident=ident, codes=values).encode()


@pytest.fixture
def token(make_user, inside):
    from linli.accounts.services import do_create_token

    officer = make_user("district_officer")
    _token, raw = do_create_token(
        actor=officer, name="预警", purpose="warnings", place=officer.place
    )
    return raw


def post_warning(client, body, raw):
    return client.post(
        "/reach/warnings/",
        data=body,
        content_type="application/xml",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_warning_starts_roll_calls_for_known_places_and_records_the_rest(
    client, token, inside, outside
):
    body = cap("W1", inside.compound.code, "5101079999999", outside.compound.code)
    response = post_warning(client, body, token)
    assert response.status_code == 200
    data = response.json()
    assert data["unknown_places"] == ["5101079999999"] and data["refused_places"] == [
        outside.compound.code
    ]
    rollcall = RollCall.objects.get()
    assert rollcall.place == inside.compound and rollcall.warning.identifier == "W1"
    again = post_warning(client, body, token)
    assert again.json()["rollcalls"] == [rollcall.pk] and RollCall.objects.count() == 1


def test_a_warning_without_a_valid_token_or_well_formed_xml_is_refused(client, token, inside):
    assert (
        client.post(
            "/reach/warnings/", data=cap("W2", inside.compound.code), content_type="application/xml"
        ).status_code
        == 401
    )
    assert post_warning(client, cap("W2", inside.compound.code), "linli_wrong").status_code == 401
    bad = post_warning(client, b"<alert><identifier>W3</identifier></alert>", token)
    assert bad.status_code == 400 and "<info> is missing" in bad.json()["error"]
    assert not Warning.objects.exists()


def test_a_callback_answer_moves_the_board_over_http(client, guarded, secretary):
    rollcall = do_start_rollcall(actor=secretary, place=guarded.compound, reason="x", minutes=30)
    send_due()
    message = rollcall.entries.get().messages.get()
    signed_post(
        client,
        "locmem-voice",
        [{"call_id": "c9", "out_id": message.key, "status_code": "200000", "dtmf": "1"}],
    )
    total, _ = selectors.board(rollcall, guarded.compound)
    assert dict(total.counts) == {"green": 1}
