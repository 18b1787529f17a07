"""Notifications reach a real SMTP server and real HTTP robots; nothing is lost while they are down."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from werkzeug import Response

from linli.domain.outbox import MAX_ATTEMPTS, next_attempt, robot_payload
from linli.notifications.models import Delivery, Notification, Preference, Robot
from linli.notifications.services import deliver_due, notify


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    settings.LINLI_BASE_URL = "https://linli.example.cn"
    return port


@pytest.fixture
def robots_on_loopback(settings):
    """The test's robots listen on loopback: list that host and let it resolve there."""
    settings.LINLI_WEBHOOK_HOSTS = ["localhost", "127.0.0.1"]
    settings.LINLI_WEBHOOK_TEST_LOOPBACK = True


def test_back_off_grows_then_gives_up():
    now = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)
    waits = [next_attempt(n, now) - now for n in range(1, MAX_ATTEMPTS)]
    assert waits == sorted(waits) and waits[0] == dt.timedelta(seconds=30)
    assert next_attempt(MAX_ATTEMPTS, now) is None


def test_robot_messages_follow_each_robot_format():
    wecom = robot_payload("wecom", "标题", "正文", "/x/")
    assert wecom == {
        "msgtype": "markdown",
        "markdown": {"content": "**标题**\n\n正文\n\n[/x/](/x/)"},
    }
    ding = robot_payload("dingtalk", "标题", "正文")
    assert ding["msgtype"] == "markdown" and ding["markdown"]["title"] == "标题"
    with pytest.raises(ValueError, match="unknown robot kind 'qq'"):
        robot_payload("qq", "t", "b")


@pytest.mark.django_db
def test_email_waits_while_the_server_is_down_and_arrives_once_it_is_up(
    smtp_settings, secretary, django_capture_on_commit_callbacks
):
    secretary.email = "secretary@example.cn"
    secretary.save()
    with django_capture_on_commit_callbacks(execute=False):
        notify(
            recipients=[secretary], kind="test", title="Gap in 玉林", body="Ward 7", link="/w/7/"
        )
    now = timezone.now()
    assert deliver_due(now=now) == {"sent": 0, "retry": 1, "failed": 0}  # nobody listens yet
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at == now + dt.timedelta(seconds=30)
    assert "ConnectionRefusedError" in delivery.last_error
    assert deliver_due(now=now + dt.timedelta(seconds=10)) == {"sent": 0, "retry": 0, "failed": 0}

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_settings)
    controller.start()
    try:
        assert deliver_due(now=now + dt.timedelta(seconds=31))["sent"] == 1
        assert deliver_due(now=now + dt.timedelta(hours=1))["sent"] == 0  # sent once only
    finally:
        controller.stop()
    [(_sender, to, content)] = inbox.messages
    assert to == ["secretary@example.cn"]
    assert "Ward 7" in content and "https://linli.example.cn/w/7/" in content
    assert Delivery.objects.get().status == "sent"


@pytest.mark.django_db
def test_people_who_opt_out_get_the_inbox_only(smtp_settings, secretary):
    secretary.email = "secretary@example.cn"
    secretary.save()
    Preference.objects.create(user=secretary, email=False)
    notify(recipients=[secretary], kind="test", title="t")
    assert Notification.objects.filter(recipient=secretary).count() == 1
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_group_robots_get_markdown_and_refusals_are_retried(
    httpserver, robots_on_loopback, secretary
):
    community = secretary.place
    Robot.objects.create(place=community, kind="wecom", url=httpserver.url_for("/wecom"))
    Robot.objects.create(place=community, kind="dingtalk", url=httpserver.url_for("/ding"))
    Robot.objects.create(
        place=community, kind="wecom", url=httpserver.url_for("/other"), kinds=["something_else"]
    )
    httpserver.expect_request("/wecom", method="POST").respond_with_json(
        {"errcode": 0, "errmsg": "ok"}
    )
    answers = iter([{"errcode": 310000, "errmsg": "keywords not in content"}, {"errcode": 0}])
    httpserver.expect_request("/ding", method="POST").respond_with_handler(
        lambda request: Response(json.dumps(next(answers)), content_type="application/json")
    )
    notify(recipients=[], kind="coverage_gap", title="覆盖缺口", body="2 gaps", place=community)
    now = timezone.now()
    assert deliver_due(now=now) == {"sent": 1, "retry": 1, "failed": 0}
    ding = Delivery.objects.get(channel="dingtalk")
    assert "310000" in ding.last_error
    assert deliver_due(now=now + dt.timedelta(seconds=31)) == {"sent": 1, "retry": 0, "failed": 0}
    posted = [(r.path, r.get_json()) for r, _ in httpserver.log]
    assert (
        "/wecom",
        {"msgtype": "markdown", "markdown": {"content": "**覆盖缺口**\n\n2 gaps"}},
    ) in posted
    assert all(path != "/other" for path, _ in posted)  # that robot wants other kinds


@pytest.mark.django_db
def test_a_channel_that_never_answers_is_given_up_and_kept(
    httpserver, robots_on_loopback, secretary
):
    Robot.objects.create(place=secretary.place, kind="wecom", url=httpserver.url_for("/down"))
    httpserver.expect_request("/down").respond_with_data("busy", status=503)
    notify(recipients=[], kind="k", title="t", place=secretary.place)
    when = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        deliver_due(now=when)
        when += dt.timedelta(days=1)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "failed",
        MAX_ATTEMPTS,
        "HTTP 503",
    )


@pytest.mark.django_db
def test_the_inbox_shows_only_my_notifications(secretary, make_user):
    other = make_user("grid_worker")
    notify(recipients=[secretary], kind="k", title="给书记的消息")
    notify(recipients=[other], kind="k", title="给网格员的消息")
    client = Client()
    client.force_login(secretary)
    home = client.get(reverse("home")).content.decode()
    assert "(1)" in home  # unread count in the navigation
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "给书记的消息" in body and "给网格员的消息" not in body
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=secretary, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_settings_page_saves_the_email_choice(secretary):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("notifications:settings"), {"email_address": "not-an-email", "email": "on"}
    )
    assert response.status_code == 200 and "email" in response.content.decode().lower()
    client.post(reverse("notifications:settings"), {"email_address": "s@example.cn"})
    secretary.refresh_from_db()
    assert secretary.email == "s@example.cn"
    assert Preference.objects.get(user=secretary).email is False
