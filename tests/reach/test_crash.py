"""The reach sender killed mid-batch (``kill -9``, a real process, the real Alibaba adapter
against the local provider): nothing is lost, nothing is counted twice; the one message in
flight is sent again with the same OutId once its claim is stale."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.utils import timezone

from linli.reach.models import DailyCost, Message
from linli.reach.outbox import build_message, send_due
from tests.notifications.test_crash import database_url

from .providers import ALIYUN_SECRET, Provider

N = 12


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_mid_batch_loses_and_duplicates_nothing(live_places, tmp_path, settings):
    from tests.conftest import IN_COMMUNITY, build_neighbourhood

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    provider = Provider()
    provider.delay = 0.3
    env_settings = {
        "LINLI_REACH_SMS_BACKEND": "aliyun_sms",
        "LINLI_REACH_HOSTS": "127.0.0.1",
        "LINLI_WEBHOOK_TEST_LOOPBACK": "1",
        "LINLI_REACH_ALIYUN_SMS_URL": provider.url,
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "aliyun-test-id",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ALIYUN_SECRET,
        "LINLI_REACH_SMS_SIGN": "邻里",
        "LINLI_REACH_TEMPLATE_ROLLCALL": "SMS_200",
    }
    try:
        for i in range(N):
            build_message(
                resident=n.resident,
                community=n.community,
                channel="sms",
                purpose="rollcall",
                key=f"crash:{i}",
                params={},
            ).save()
        from linli.reach.models import CommunityReach

        CommunityReach.objects.create(place=n.community, person_daily_limit=100)
        env = {
            **os.environ,
            **env_settings,
            "DATABASE_URL": database_url(),
            "LINLI_DATA_DIR": str(tmp_path),
        }
        command = [sys.executable, "-m", "linli.cli", "manage", "reach_tick", "--send-only"]
        sender = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while len(provider.received) < 4 and time.monotonic() < deadline:
            if sender.poll() is not None:
                pytest.fail(sender.stderr.read().decode()[-2000:])
            time.sleep(0.02)
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
        assert sender.returncode == -signal.SIGKILL
        states = Counter(Message.objects.values_list("status", flat=True))
        assert states["sending"] == 1 and states["sent"] + states["pending"] + 1 == N

        for name, value in env_settings.items():
            setattr(settings, name, value)
        settings.LINLI_REACH_HOSTS = ["127.0.0.1"]
        settings.LINLI_WEBHOOK_TEST_LOOPBACK = True
        settings.LINLI_REACH_TEMPLATES = {"rollcall": "SMS_200"}
        provider.delay = 0
        send_due()  # the in-flight one waits for its claim to go stale
        later = timezone.now() + dt.timedelta(seconds=settings.LINLI_REACH_STALE_SECONDS + 1)
        send_due(now=later)
        assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
        got = Counter(p["OutId"] for p in provider.received)
        assert set(got) == {f"crash:{i}" for i in range(N)}  # nothing lost
        assert sum(got.values()) <= N + 1  # at most the one in flight went twice, same OutId
        cost = DailyCost.objects.get(community=n.community)
        assert cost.sent == N  # counted once each
    finally:
        provider.close()
