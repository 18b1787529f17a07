import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.domain.contacts import WardContactState, escalations
from linli.guardianship.models import Assignment, Contact, Escalation
from linli.guardianship.services import do_escalate_missed_contacts, do_log_contact

T0 = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)


def state(**kw):
    base = {
        "ward": 1,
        "risk": "high",
        "last_contact": None,
        "guarded_since": T0,
        "open_level": None,
    }
    return WardContactState(**(base | kw))


def test_a_high_risk_ward_escalates_to_the_backup_after_12_hours_then_to_the_secretary():
    assert escalations([state()], T0 + dt.timedelta(hours=11)) == []
    (first,) = escalations([state()], T0 + dt.timedelta(hours=13))
    assert (first.level, first.due_since) == ("backup", T0 + dt.timedelta(hours=12))
    assert escalations([state(open_level="backup")], T0 + dt.timedelta(hours=17)) == []
    (second,) = escalations([state(open_level="backup")], T0 + dt.timedelta(hours=19))
    assert second.level == "secretary"
    assert escalations([state(open_level="secretary")], T0 + dt.timedelta(days=5)) == []


def test_a_recent_contact_restarts_the_window():
    assert (
        escalations([state(last_contact=T0 + dt.timedelta(hours=10))], T0 + dt.timedelta(hours=20))
        == []
    )
    assert escalations([state(risk="low")], T0 + dt.timedelta(hours=71)) == []


@pytest.fixture
def guarded(inside):
    Assignment.objects.create(ward=inside.ward, role="primary", volunteer=inside.volunteer)
    Assignment.objects.filter(ward=inside.ward).update(since=T0)
    return inside


@pytest.mark.django_db
def test_missed_contact_opens_one_escalation_and_a_contact_resolves_it(secretary, guarded):
    assert do_escalate_missed_contacts(now=T0 + dt.timedelta(hours=13)) == 1
    assert do_escalate_missed_contacts(now=T0 + dt.timedelta(hours=14)) == 0  # not twice
    assert do_escalate_missed_contacts(now=T0 + dt.timedelta(hours=19)) == 1  # now the secretary
    assert list(Escalation.objects.values_list("level", flat=True).order_by("opened_at")) == [
        "backup",
        "secretary",
    ]
    contact = do_log_contact(
        actor=secretary, ward=guarded.ward, method="phone", at=T0 + dt.timedelta(hours=20)
    )
    assert Escalation.objects.filter(resolved_at__isnull=True).count() == 0
    assert set(Escalation.objects.values_list("resolved_by", flat=True)) == {contact.pk}


@pytest.mark.django_db
def test_a_contact_resent_by_the_phone_is_recorded_once(secretary, guarded):
    for _ in range(3):
        do_log_contact(actor=secretary, ward=guarded.ward, method="visit", client_id="phone-42")
    assert Contact.objects.filter(ward=guarded.ward).count() == 1


@pytest.mark.django_db
def test_volunteer_sees_own_wards_and_logs_a_contact(make_user, guarded):
    account = make_user("volunteer")
    guarded.volunteer.account = account
    guarded.volunteer.save()
    client = Client()
    client.force_login(account)
    page = client.get(reverse("guardianship:my_wards"))
    assert "甲老人" in page.content.decode()
    response = client.post(
        reverse("guardianship:log_contact", args=[guarded.ward.pk]),
        {"method": "visit", "provided": "午饭", "next": reverse("guardianship:my_wards")},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(ward=guarded.ward)
    assert (contact.volunteer, contact.provided) == (guarded.volunteer, "午饭")
    assert contact.at <= timezone.now()


@pytest.mark.django_db
def test_a_volunteer_cannot_log_contacts_for_someone_elses_ward(make_user, inside):
    client = Client()
    client.force_login(make_user("volunteer"))
    response = client.post(
        reverse("guardianship:log_contact", args=[inside.ward.pk]), {"method": "visit"}
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_community_sets_its_own_contact_window(secretary, guarded):
    from linli.register.models import ContactWindows

    ContactWindows.objects.create(place=guarded.community, high_hours=6)
    assert do_escalate_missed_contacts(now=T0 + dt.timedelta(hours=7)) == 1
