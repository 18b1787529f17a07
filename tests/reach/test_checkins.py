"""Daily safety check-ins (平安报): 3 tries 10 minutes apart, then the missed-contact chain."""

from __future__ import annotations

import pytest

from linli.guardianship.models import Escalation
from linli.notifications.models import Notification
from linli.reach.models import CheckIn, Message
from linli.reach.services import record_answer, run_checkins

from .conftest import at_local

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(guarded, secretary):
    guarded.compound.sealed = True
    guarded.compound.save()
    return guarded


def test_a_high_risk_ward_in_a_sealed_compound_is_called_at_the_set_time(sealed):
    assert run_checkins(now=at_local(8, 59))["opened"] == 0
    counts = run_checkins(now=at_local(9, 0))
    assert counts == {"opened": 1, "calls": 1, "missed": 0, "escalated": 0}
    assert run_checkins(now=at_local(9, 5))["calls"] == 0  # not before 10 minutes
    message = Message.objects.get()
    assert (message.channel, message.purpose, message.key) == (
        "voice",
        "checkin",
        f"checkin:{CheckIn.objects.get().pk}:1",
    )


def test_a_ward_not_sealed_and_not_opted_in_is_not_called(guarded):
    assert run_checkins(now=at_local(9, 0))["opened"] == 0


def test_no_answer_after_three_tries_goes_primary_then_backup_then_secretary(
    sealed, django_capture_on_commit_callbacks
):
    for minute in (0, 10, 20):
        run_checkins(now=at_local(9, minute))
    assert Message.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert run_checkins(now=at_local(9, 30))["missed"] == 1
    checkin = CheckIn.objects.get()
    assert (checkin.status, checkin.escalated) == ("missed", "primary")
    assert Notification.objects.filter(
        recipient=sealed.volunteer.account, kind="checkin_failed"
    ).exists()
    run_checkins(now=at_local(10, 1))
    assert Escalation.objects.get().level == "backup"
    run_checkins(now=at_local(10, 31))
    assert set(Escalation.objects.values_list("level", flat=True)) == {"backup", "secretary"}
    run_checkins(now=at_local(11, 0))
    assert Escalation.objects.count() == 2  # nothing opened twice


def test_a_guardian_visit_stops_the_chain(sealed):
    from linli.guardianship.services import do_log_contact

    for minute in (0, 10, 20, 30):
        run_checkins(now=at_local(9, minute))
    do_log_contact(
        actor=sealed.volunteer.account, ward=sealed.ward, method="visit", at=at_local(9, 40)
    )
    run_checkins(now=at_local(10, 31))
    assert not Escalation.objects.exists()


def test_keypress_2_is_a_contact_and_asks_the_primary_to_visit(sealed):
    run_checkins(now=at_local(9, 0))
    record_answer(message=Message.objects.get(), answer="help", via="keypress")
    checkin = CheckIn.objects.get()
    assert (checkin.status, checkin.escalated) == ("help", "primary")
    assert "needs help" in checkin.contact.concerns.lower() or checkin.contact.concerns
    assert run_checkins(now=at_local(9, 10))["calls"] == 0


def test_a_landline_that_never_answers_is_flagged_for_a_door_visit(sealed):
    sealed.resident.phone = "028-85551234"
    sealed.resident.save()
    for minute in (0, 10, 20, 30):
        run_checkins(now=at_local(9, minute))
    checkin = CheckIn.objects.get()
    assert checkin.status == "missed" and checkin.door_visit


def test_the_wards_own_times_and_channel_are_used(sealed):
    from linli.reach.models import Profile

    Profile.objects.create(
        resident=sealed.resident,
        channel="sms",
        checkin=True,
        checkin_times=["07:30"],
        language="sichuanese",
    )
    run_checkins(now=at_local(7, 30))
    message = Message.objects.get()
    assert (message.channel, message.language) == ("sms", "sichuanese")
    assert CheckIn.objects.get().slot == at_local(7, 30)


def test_an_opted_out_ward_is_never_called(sealed):
    from linli.reach.models import Profile

    Profile.objects.create(resident=sealed.resident, opted_out=True)
    assert run_checkins(now=at_local(9, 0))["opened"] == 0
