"""The provider adapters against a local server that checks their signatures, through the
outbound rule (loopback and http allowed by the test settings only)."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.reach.models import Message
from linli.reach.outbox import build_message, send_due

from .conftest import at_local
from .providers import ALIYUN_SECRET, TENCENT_ID, TENCENT_KEY, Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    server = Provider()
    settings.LINLI_REACH_HOSTS = ["127.0.0.1"]
    settings.LINLI_WEBHOOK_TEST_LOOPBACK = True
    settings.LINLI_REACH_TIMEOUT = 0.5
    settings.LINLI_REACH_ALIYUN_SMS_URL = server.url
    settings.LINLI_REACH_ALIYUN_VOICE_URL = server.url
    settings.LINLI_REACH_TENCENT_SMS_URL = server.url
    settings.ALIBABA_CLOUD_ACCESS_KEY_ID = "aliyun-test-id"
    settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET = ALIYUN_SECRET
    settings.TENCENTCLOUD_SECRET_ID = TENCENT_ID
    settings.TENCENTCLOUD_SECRET_KEY = TENCENT_KEY
    settings.LINLI_REACH_TENCENT_SDK_APP_ID = "1400000000"
    settings.LINLI_REACH_SMS_SIGN = "邻里"
    settings.LINLI_REACH_TEMPLATES = {"checkin": "SMS_100", "rollcall": "SMS_200"}
    settings.LINLI_REACH_CALLED_SHOW_NUMBER = "02800000000"
    yield server
    server.close()


def queue(n, channel="sms", key="k1"):
    message = build_message(
        resident=n.resident,
        community=n.community,
        channel=channel,
        purpose="rollcall",
        key=key,
        params={"reason": "地震"},
        now=at_local(10),
    )
    message.save()
    return message


def test_aliyun_sms_sends_a_signed_sendsms(inside, provider, settings):
    settings.LINLI_REACH_SMS_BACKEND = "aliyun_sms"
    message = queue(inside)
    assert send_due(now=at_local(10))["sent"] == 1
    sent = provider.received[0]
    assert (sent["Action"], sent["PhoneNumbers"], sent["TemplateCode"], sent["SignName"]) == (
        "SendSms",
        "13800000000",
        "SMS_200",
        "邻里",
    )
    assert sent["OutId"] == "k1" and sent["TemplateParam"] == '{"reason": "地震"}'
    message.refresh_from_db()
    assert (message.provider, message.provider_ref) == ("aliyun_sms", "biz1")


def test_aliyun_voice_places_an_ivr_call_with_keypress_menu(inside, provider, settings):
    settings.LINLI_REACH_VOICE_BACKEND = "aliyun_voice"
    message = queue(inside, channel="voice")
    assert send_due(now=at_local(10))["sent"] == 1
    sent = provider.received[0]
    assert sent["Action"] == "IvrCall" and sent["CalledShowNumber"] == "02800000000"
    assert '"Key": "1"' in sent["MenuKeyMap"] and '"Key": "2"' in sent["MenuKeyMap"]
    message.refresh_from_db()
    assert message.provider_ref == "call1"


def test_tencent_sms_is_signed_tc3(inside, provider, settings):
    settings.LINLI_REACH_SMS_BACKEND = "tencent_sms"
    queue(inside)
    assert send_due(now=at_local(10))["sent"] == 1
    sent = provider.received[0]
    assert sent["PhoneNumberSet"] == ["+8613800000000"] and sent["SessionContext"] == "k1"
    assert provider.refused_signatures == 0


def test_a_wrong_secret_is_refused_by_the_provider_and_not_retried(inside, provider, settings):
    settings.LINLI_REACH_SMS_BACKEND = "aliyun_sms"
    settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "wrong"
    message = queue(inside)
    assert send_due(now=at_local(10))["failed"] == 1
    assert provider.refused_signatures == 1
    message.refresh_from_db()
    assert "SignatureDoesNotMatch" in message.last_error


@pytest.mark.parametrize("backend", ["aliyun_sms", "tencent_sms"])
def test_5xx_and_timeouts_are_retried_with_backoff_and_sent_once(
    inside, provider, settings, backend
):
    settings.LINLI_REACH_SMS_BACKEND = backend
    provider.script = ["503", "hang"]
    message = queue(inside)
    t = at_local(10)
    assert send_due(now=t)["retry"] == 1
    assert send_due(now=t + dt.timedelta(seconds=31))["retry"] == 1  # the hang: a timeout
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == "pending"
    assert "TimeoutError" in message.last_error or "timed out" in message.last_error
    assert send_due(now=t + dt.timedelta(minutes=3))["sent"] == 1
    assert send_due(now=t + dt.timedelta(hours=3))["sent"] == 0
    assert len(provider.received) == 1
    assert Message.objects.get(pk=message.pk).status == "sent"


@pytest.mark.parametrize("backend", ["aliyun_sms", "tencent_sms"])
def test_a_number_the_provider_refuses_fails_without_retry(inside, provider, settings, backend):
    settings.LINLI_REACH_SMS_BACKEND = backend
    provider.script = ["bad-number"]
    message = queue(inside)
    assert send_due(now=at_local(10))["failed"] == 1
    message.refresh_from_db()
    assert "Number" in message.last_error or "NUMBER" in message.last_error


def test_without_the_test_settings_the_outbound_rule_refuses_loopback(inside, provider, settings):
    settings.LINLI_REACH_SMS_BACKEND = "aliyun_sms"
    settings.LINLI_WEBHOOK_TEST_LOOPBACK = False
    message = queue(inside)
    assert send_due(now=at_local(10))["failed"] == 1
    message.refresh_from_db()
    assert "https" in message.last_error
    assert provider.received == []


def test_a_host_not_listed_is_refused(inside, provider, settings):
    settings.LINLI_REACH_SMS_BACKEND = "aliyun_sms"
    settings.LINLI_REACH_HOSTS = ["dysmsapi.aliyuncs.com"]
    message = queue(inside)
    send_due(now=at_local(10))
    message.refresh_from_db()
    assert message.status == "failed" and "127.0.0.1" in message.last_error
