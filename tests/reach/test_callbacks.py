"""Provider callbacks over HTTP: signed, each event once, answers only 1 or 2."""

from __future__ import annotations

import time

import pytest

from linli.guardianship.models import Contact
from linli.reach.models import Callback, RollCallEntry
from linli.reach.outbox import send_due
from linli.reach.services import do_start_rollcall

from .conftest import signed_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def called(guarded, secretary):
    rollcall = do_start_rollcall(actor=secretary, place=guarded.compound, reason="地震", minutes=30)
    send_due()
    entry = rollcall.entries.get()
    message = entry.messages.get()
    assert message.status == "sent"
    return entry, message


def keypress(client, message, dtmf="1", call_id="c1", **kw):
    item = {"call_id": call_id, "out_id": message.key, "status_code": "200000", "dtmf": dtmf}
    return signed_post(client, "locmem-voice", [item], **kw)


def test_keypress_1_marks_the_ward_safe_and_logs_a_contact(client, called):
    entry, message = called
    response = keypress(client, message)
    assert response.status_code == 200 and response.json()["applied"] == 1
    entry.refresh_from_db()
    assert (entry.state, entry.via) == ("safe", "keypress")
    contact = Contact.objects.get(ward=entry.ward)
    assert contact.method == "phone" and "keypress" in contact.provided


def test_a_replayed_callback_is_counted_once(client, called):
    entry, message = called
    keypress(client, message)
    again = keypress(client, message)
    assert again.status_code == 200 and again.json()["duplicate"] == 1
    assert Contact.objects.filter(ward=entry.ward).count() == 1
    assert Callback.objects.count() == 1


def test_a_bad_signature_is_refused_and_changes_nothing(client, called):
    entry, message = called
    response = keypress(client, message, secret="not-the-secret")
    assert response.status_code == 403 and "does not match" in response.json()["error"]
    entry.refresh_from_db()
    assert entry.state == "pending" and not Callback.objects.exists()


def test_an_old_signed_callback_is_refused_as_a_replay(client, called):
    _entry, message = called
    response = keypress(client, message, at=int(time.time()) - 3600)
    assert response.status_code == 403 and "replay" in response.json()["error"]


def test_an_answer_for_a_call_that_never_went_out_is_recorded_as_unknown(client, called):
    response = signed_post(
        client,
        "locmem-voice",
        [{"call_id": "nope", "out_id": "nope", "dtmf": "1", "status_code": "200000"}],
    )
    assert response.json()["unknown"] == 1
    assert Callback.objects.get().outcome == "unknown"
    assert not Contact.objects.exists()


def test_a_keypress_other_than_1_or_2_is_not_an_answer(client, called):
    entry, message = called
    response = keypress(client, message, dtmf="3")
    assert response.json()["not_answer"] == 1
    entry.refresh_from_db()
    assert entry.state == "pending"
    assert "neither 1 nor 2" in Callback.objects.get().detail


def test_an_sms_reply_2_means_needs_help(client, guarded, secretary):
    from linli.reach.models import Profile

    Profile.objects.create(resident=guarded.resident, channel="sms")
    rollcall = do_start_rollcall(actor=secretary, place=guarded.compound, reason="火灾", minutes=30)
    send_due()
    response = signed_post(
        client,
        "locmem-sms",
        [{"phone_number": "13800000000", "content": "2", "sequence_id": "s1", "send_time": "x"}],
    )
    assert response.json()["applied"] == 1
    assert rollcall.entries.get().state == "help"


def test_an_undelivered_receipt_makes_the_ward_unreachable(client, called):
    entry, message = called
    from linli.reach.models import Message

    Message.objects.filter(pk=message.pk).update(channel="sms")
    response = signed_post(
        client,
        "locmem-sms",
        [
            {
                "biz_id": message.provider_ref,
                "out_id": message.key,
                "success": False,
                "err_code": "MOBILE_NOT_ON_SERVICE",
            }
        ],
    )
    assert response.json()["applied"] == 1
    entry.refresh_from_db()
    assert entry.state == RollCallEntry.State.UNREACHABLE


def test_a_body_not_in_the_provider_format_is_refused_saying_where(client, called):
    response = signed_post(client, "locmem-voice", [{"dtmf": "1"}])
    assert response.status_code == 400 and "item 0: missing call_id" in response.json()["error"]
    assert signed_post(client, "no-such", []).status_code == 404
