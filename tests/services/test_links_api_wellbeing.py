"""Request links (signed, expiring, rate-limited, nothing personal shown), the JSON API, the
wellbeing check-in (the lead learns only that rest is needed) and the dashboard's counts."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linli.notifications.models import Notification
from linli.services.links import PER_LINK_PER_HOUR, make_link
from linli.services.models import ServiceRequest
from linli.services.selectors import dashboard

from .conftest import T0, file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def ask_url(**target):
    return reverse("services:ask", args=[make_link(**target)])


def test_a_resident_link_shows_nothing_personal_and_files_for_her(scene):
    client = Client()
    url = ask_url(resident_id=scene.resident.pk)
    page = client.get(url).content.decode()
    for personal in (scene.resident.name, scene.resident.phone, scene.resident.place.name):
        assert personal not in page
    answer = client.post(url, {"category": "medicine", "description": "降压药快吃完了"})
    assert answer.status_code == 200 and b"ask-done" in answer.content
    request = ServiceRequest.objects.get()
    assert (request.resident, request.channel, request.created_by) == (scene.resident, "link", None)


def test_a_forged_or_expired_link_is_refused(scene, monkeypatch):
    url = ask_url(resident_id=scene.resident.pk)
    assert Client().get(url[:-3] + "xyz/").status_code == 404
    import time

    later = time.time() + 15 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert Client().get(url).status_code == 404


def test_a_link_makes_only_a_few_requests_an_hour(scene):
    url = ask_url(resident_id=scene.resident.pk)
    client = Client()
    for _ in range(PER_LINK_PER_HOUR["resident"]):
        assert client.post(url, {"category": "daily", "description": "买菜"}).status_code == 200
    assert client.post(url, {"category": "daily", "description": "买菜"}).status_code == 429
    assert ServiceRequest.objects.count() == PER_LINK_PER_HOUR["resident"]


def test_a_community_link_needs_a_phone_and_shows_the_error(scene):
    url = ask_url(community_code=scene.community.code)
    client = Client()
    page = client.post(url, {"category": "daily", "description": "买菜", "contact_name": "王"})
    assert "电话：我们怎样联系您？" in page.content.decode()
    assert not ServiceRequest.objects.exists()
    client.post(
        url,
        {"category": "daily", "description": "买菜", "contact_name": "王", "contact_phone": "138"},
    )
    request = ServiceRequest.objects.get()
    assert (request.resident, request.place, request.contact_phone) == (
        None,
        scene.community,
        "138",
    )


def test_the_api_files_a_request_with_triage_and_never_returns_a_note(scene, inside, outside):
    from tests.conftest import ROLE_PLACES  # noqa: F401

    client = Client()
    client.force_login(scene.secretary)
    url = reverse("api:create_service_request")
    body = {"resident": scene.resident.pk, "category": "psychological", "description": "不想活了"}
    answer = client.post(url, json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["urgency"] == "critical" and data["triage_reasons"] == ["self_harm", "high_risk"]
    assert "description" not in data and "notes" not in data
    bad = client.post(url, json.dumps({"resident": "x"}), content_type="application/json")
    assert bad.status_code == 422 and "resident" in bad.json()["detail"]
    assert "category" in bad.json()["detail"]
    body["resident"] = outside.resident.pk
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 404


def test_a_worrying_check_in_tells_the_lead_only_that_rest_is_needed(
    scene, inside, django_capture_on_commit_callbacks
):
    from linli.accounts.models import User
    from linli.rostering.models import WorkedSpan
    from linli.services.services import do_ask_support, do_check_in

    worker = scene.guardian  # a volunteer at checkpoints too
    lead = User.objects.create_user(
        username="checkpoint_lead", password="x", role="taskforce_lead", place=scene.community
    )
    now = timezone.now()
    WorkedSpan.objects.create(
        volunteer=inside.volunteer, started_at=now - dt.timedelta(hours=30), ended_at=now
    )
    answers = {"phq1": "2", "phq2": "2", "gad1": "0", "gad2": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        checkin = do_check_in(actor=worker, answers=answers, now=now)
    assert (checkin.hours_7d, checkin.rest_needed, checkin.support_offered) == (30.0, True, True)
    told = Notification.objects.get(kind="rest_needed")
    assert told.recipient == lead
    assert "4" not in told.title + told.body and "PHQ" not in told.title + told.body
    request = do_ask_support(actor=worker, checkin=checkin, now=now)
    assert (request.worker, request.category, request.channel) == (worker, "psychological", "self")


def test_the_check_in_page_refuses_a_missing_answer(scene):
    client = Client()
    client.force_login(scene.guardian)
    page = client.post(reverse("services:checkin"), {"phq1": "1"}, follow=True)
    assert "问题 2：请从四个答案中选一个" in page.content.decode()


def test_dashboard_counts_by_urgency_response_community_team_and_load(scene, make_user):
    from linli.services.services import do_take_case

    critical = file(scene, description="不想活了", now=T0)
    file(scene, category="daily", description="买菜", now=T0)
    do_take_case(actor=scene.psychologist.user, request=critical, now=T0 + dt.timedelta(minutes=5))
    board = dashboard(make_user("street_officer"), now=T0 + dt.timedelta(hours=3))
    assert board.response["critical"]["met"] == 1
    assert board.response["urgent"]["overdue"] == 1  # the queued daily request of a high-risk ward
    assert board.median_response_minutes["critical"] == 5
    assert board.queued == 1
    assert [row[1:] for row in board.by_community] == [(2, 1)]
    load = {name: (n, limit) for name, _kind, n, limit in board.load}
    assert load["psychologist"] == (1, 3) and load["doctor"] == (0, 3)


def test_a_service_token_files_and_follows_its_requests_and_nothing_else(scene, outside):
    from linli.accounts.services import do_create_token

    _, raw = do_create_token(
        actor=scene.secretary, name="热线系统", purpose="service_requests", place=scene.community
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    body = {"resident": scene.resident.pk, "category": "daily", "description": "买菜"}
    url = reverse("api:create_service_request")
    answer = client.post(url, json.dumps(body), content_type="application/json", **auth)
    assert answer.status_code == 200, answer.content
    made = answer.json()["id"]
    follow = client.get(reverse("api:get_service_request", kwargs={"request_id": made}), **auth)
    assert follow.status_code == 200 and follow.json()["status"] == "new"
    body["resident"] = outside.resident.pk
    assert (
        client.post(url, json.dumps(body), content_type="application/json", **auth).status_code
        == 404
    )
    # the token reaches nothing but the service API, and a read-only token cannot file
    assert client.get("/api/register/residents", **auth).status_code == 401
    _, read_only = do_create_token(
        actor=scene.secretary, name="r", purpose="register_read", place=scene.community
    )
    body["resident"] = scene.resident.pk
    refused = client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {read_only}",
    )
    assert refused.status_code == 401
    assert ServiceRequest.objects.count() == 1


def test_the_dashboard_page_shows_counts_not_people_in_a_fixed_number_of_queries(
    scene, make_user, django_assert_max_num_queries
):
    for i in range(6):
        file(scene, description=f"求助{i}", category=["daily", "psychological"][i % 2])
    client = Client()
    client.force_login(make_user("district_officer"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("services:dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="load"' in body
    assert scene.resident.name not in body and "求助" not in body
