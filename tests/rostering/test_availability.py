"""A volunteer says which days they cannot work and which shifts they wish for; the next
roster's problem carries both."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from linli.rostering.models import ShiftWish, Unavailability
from linli.rostering.problem import problem_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer_client(scene, make_user):
    user = make_user("volunteer")
    volunteer = scene.volunteers[2]
    volunteer.account = user
    volunteer.save()
    client = Client()
    client.force_login(user)
    return client, volunteer


def test_days_away_and_wishes_reach_the_next_roster(scene, volunteer_client):
    client, volunteer = volunteer_client
    url = reverse("rostering:my_availability")
    away = client.post(
        url,
        {
            "kind": "away",
            "first_day": (scene.start + dt.timedelta(days=2)).isoformat(),
            "last_day": (scene.start + dt.timedelta(days=4)).isoformat(),
            "reason": "家中有事",
        },
    )
    assert away.status_code == 302
    wish = client.post(
        url,
        {
            "kind": "want",
            "first_day": (scene.start + dt.timedelta(days=8)).isoformat(),
            "shift_type": scene.shifts["E"].pk,
            "weight": "3",
        },
    )
    assert wish.status_code == 302
    assert Unavailability.objects.get().volunteer == volunteer
    assert ShiftWish.objects.get().weight == 3
    problem, _index = problem_for(scene.community, scene.start, 14)
    person = next(p for p in problem.people if p.id == str(volunteer.pk))
    assert person.days_off == {2, 3, 4}
    (request,) = problem.requests
    assert (request.person, request.day, request.slot, request.on, request.weight) == (
        str(volunteer.pk),
        8,
        "E",
        True,
        3,
    )


def test_bad_availability_is_refused_with_the_reason(scene, volunteer_client):
    client, _volunteer = volunteer_client
    url = reverse("rostering:my_availability")
    page = client.post(
        url,
        {
            "kind": "away",
            "first_day": (scene.start + dt.timedelta(days=4)).isoformat(),
            "last_day": (scene.start + dt.timedelta(days=2)).isoformat(),
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The last day is before the first day." in page.content.decode()
    client.post(url, {"kind": "want", "first_day": "2020-01-01", "weight": "9"})
    assert not Unavailability.objects.exists() and not ShiftWish.objects.exists()
