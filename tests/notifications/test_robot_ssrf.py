"""Issue 18, item 5, as it was done: a secretary points a group robot at 127.0.0.1 in the back
office, a notification goes out, and the answer of the local service comes back in
Delivery.last_error. Now the form refuses the URL, a robot saved before is not called, a
redirect is not followed and nothing of any answer is kept beyond its status."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from werkzeug import Response

from linli.notifications.models import Delivery, Robot
from linli.notifications.services import deliver_due, notify

SECRET = "internal-admin-token-4f2a"


def admin_add_robot(client: Client, place, url: str):
    return client.post(
        reverse("admin:notifications_robot_add"),
        {"place": place.pk, "kind": "wecom", "url": url, "kinds": "[]", "enabled": "on"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/internal",
        "http://localhost:{port}/internal",
        "http://[::1]:{port}/internal",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433:{port}/internal",
        "http://0x7f000001:{port}/internal",
        "https://127.0.0.1:{port}/internal",
    ],
)
def test_the_back_office_refuses_a_robot_aimed_inside(httpserver, secretary, url):
    client = Client()
    client.force_login(secretary)
    response = admin_add_robot(client, secretary.place, url.format(port=httpserver.port))
    assert response.status_code == 200  # the form again, with the error on the URL
    assert "url" in response.context["adminform"].form.errors
    assert not Robot.objects.exists()


@pytest.mark.django_db
def test_the_back_office_takes_a_real_robot_url(secretary):
    client = Client()
    client.force_login(secretary)
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7ab6"
    assert admin_add_robot(client, secretary.place, url).status_code == 302
    assert Robot.objects.get().url == url


@pytest.mark.django_db
def test_a_robot_saved_before_the_rule_is_never_called(httpserver, secretary, make_user):
    httpserver.expect_request("/internal").respond_with_data(f"token={SECRET}", status=500)
    Robot.objects.create(
        place=secretary.place, kind="wecom", url=httpserver.url_for("/internal")
    )  # a row written before the validator existed
    notify(recipients=[], kind="test", title="t", place=secretary.place)
    deliver_due(now=timezone.now())
    assert httpserver.log == []
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "https" in delivery.last_error and SECRET not in delivery.last_error
    admin_client = Client()
    admin_client.force_login(make_user("system_admin"))
    page = admin_client.get(reverse("admin:notifications_delivery_changelist"))
    assert page.status_code == 200 and SECRET not in page.content.decode()


@pytest.fixture
def robots_on_loopback(settings):
    settings.LINLI_WEBHOOK_HOSTS = ["localhost"]
    settings.LINLI_WEBHOOK_TEST_LOOPBACK = True


@pytest.mark.django_db
def test_a_redirect_to_loopback_is_not_followed(httpserver, robots_on_loopback, secretary):
    httpserver.expect_request("/hook").respond_with_response(
        Response(status=302, headers={"Location": httpserver.url_for("/internal")})
    )
    httpserver.expect_request("/internal").respond_with_json({"errcode": 0, "token": SECRET})
    Robot.objects.create(place=secretary.place, kind="wecom", url=httpserver.url_for("/hook"))
    notify(recipients=[], kind="test", title="t", place=secretary.place)
    assert deliver_due(now=timezone.now())["sent"] == 0
    assert [r.path for r, _ in httpserver.log] == ["/hook"]
    assert Delivery.objects.get().last_error == "HTTP 302"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        Response(f"<html>{SECRET}</html>", status=200),
        Response(f'{{"errcode": 93000, "errmsg": "{SECRET}"}}', status=200),
        Response(f'{{"errcode": "{SECRET}"}}', status=200),
        Response(SECRET * 100, status=200),
    ],
)
def test_nothing_of_an_answer_is_kept_but_its_status(
    httpserver, robots_on_loopback, secretary, answer
):
    httpserver.expect_request("/hook").respond_with_response(answer)
    Robot.objects.create(place=secretary.place, kind="wecom", url=httpserver.url_for("/hook"))
    notify(recipients=[], kind="test", title="t", place=secretary.place)
    deliver_due(now=timezone.now())
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.last_error.startswith("robot refused")
    assert SECRET not in delivery.last_error and "html" not in delivery.last_error


@pytest.mark.django_db
def test_answers_recorded_before_the_rule_are_forgotten(secretary):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "linli.notifications.migrations.0003_robot_url_outbound_rule"
    )
    leaked = {
        f"robot refused: {{'token': '{SECRET}'}}": "robot refused",
        f"URLError: <urlopen error {SECRET}>": "URLError",
        "HTTP 503": "HTTP 503",
        "robot refused: errcode 93000": "robot refused: errcode 93000",
    }
    for error in leaked:
        Delivery.objects.create(channel="wecom", target="x", payload={}, last_error=error)
    migration.forget_answers(apps, None)
    kept = set(Delivery.objects.values_list("last_error", flat=True))
    assert kept == set(leaked.values())
