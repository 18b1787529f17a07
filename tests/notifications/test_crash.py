"""A sender killed while delivering (``kill -9``, real process): nothing queued before the
crash is lost; after restart every notification is sent, the one that was in flight again
(at least once), once its claim has gone stale."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.utils import timezone

from linli.notifications.models import Delivery, Robot
from linli.notifications.services import STALE_CLAIM, deliver_due, notify
from linli.places.models import Place
from tests.conftest import IN_COMMUNITY


class RobotServer:
    """A group robot that hangs (like a stuck network) until told to answer."""

    def __init__(self) -> None:
        self.answer = threading.Event()
        self.received: list[dict] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append(json.loads(body))
                robot.answer.wait(60)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.answer.set()
        self.server.shutdown()


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_delivery_loses_nothing(live_places, tmp_path, monkeypatch, settings):
    from linli.notifications import services

    # Only the sender process under test delivers (no immediate in-process delivery job).
    monkeypatch.setattr(services, "deliver_soon", lambda: None)
    settings.LINLI_WEBHOOK_HOSTS = ["127.0.0.1"]  # the robot listens on loopback
    settings.LINLI_WEBHOOK_TEST_LOOPBACK = True
    robot = RobotServer()
    try:
        community = Place.objects.get(code=IN_COMMUNITY)
        Robot.objects.create(place=community, kind="wecom", url=robot.url)
        for i in range(3):
            notify(recipients=[], kind="test", title=f"第{i}条通知", place=community)
        assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 3

        env = {**os.environ, "DATABASE_URL": database_url(), "LINLI_DATA_DIR": str(tmp_path)}
        env |= {"LINLI_WEBHOOK_HOSTS": "127.0.0.1", "LINLI_WEBHOOK_TEST_LOOPBACK": "1"}
        command = [sys.executable, "-m", "linli.cli", "manage", "deliver_notifications"]
        sender = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not robot.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert robot.received, "the sender never reached the robot"
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
        assert sender.returncode == -signal.SIGKILL

        states = sorted(Delivery.objects.values_list("status", flat=True))
        assert states == ["pending", "pending", "sending"]  # one in flight, none lost

        robot.answer.set()  # the network is back; a new sender starts
        assert deliver_due()["sent"] == 2  # the in-flight one waits for its claim to go stale
        later = timezone.now() + STALE_CLAIM + dt.timedelta(seconds=1)
        assert deliver_due(now=later)["sent"] == 1
        assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
        titles = sorted(r["markdown"]["content"] for r in robot.received)
        assert sum("第0条通知" in t for t in titles) >= 1 and len(robot.received) == 4
    finally:
        robot.close()
