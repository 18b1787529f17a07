"""Pure rules of reaching residents: phones, quiet hours, limits, answers, signatures, warnings."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from linli.domain.reach import callbacks, cap, rules, signing

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800000000", ("13800000000", "mobile")),
        ("+86 138-0000-0000", ("13800000000", "mobile")),
        ("028-85551234", ("02885551234", "landline")),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert rules.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "23800000000", "1380000000a", "", "+1 415 555 0100"])
def test_numbers_the_providers_refuse_are_refused_with_the_number(raw):
    with pytest.raises(rules.PhoneError, match="not a mainland"):
        rules.normalise_phone(raw)


def test_default_quiet_hours_cover_lunch_and_night_including_past_midnight():
    quiet = rules.DEFAULT_QUIET_HOURS
    at = lambda h, m=0: dt.datetime(2026, 3, 2, h, m, tzinfo=TZ)  # noqa: E731
    assert [rules.in_quiet_hours(at(h), quiet) for h in (8, 9, 11, 12, 13, 14, 20, 21, 23, 0)] == [
        True,
        False,
        False,
        True,
        True,
        False,
        False,
        True,
        True,
        True,
    ]
    assert rules.next_allowed(at(22, 30), quiet) == dt.datetime(2026, 3, 3, 9, 0, tzinfo=TZ)
    assert rules.next_allowed(at(12, 5), quiet) == at(14)
    assert rules.next_allowed(at(10, 0), quiet) == at(10)


def test_budget_refusals_in_order_cap_person_rate():
    ok = rules.Budget(0, 8, 0, 600, 0, 1000)
    assert rules.refusal(ok, 12) is None
    assert rules.refusal(rules.Budget(0, 8, 0, 600, 995, 1000), 12) == "cap"
    assert rules.refusal(rules.Budget(8, 8, 0, 600, 0, 1000), 12) == "person"
    assert rules.refusal(rules.Budget(0, 8, 600, 600, 0, 1000), 12) == "rate"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("1", "safe"),
        (" 平安 ", "safe"),
        ("2", "help"),
        ("需要帮助", "help"),
        ("3", None),
        ("", None),
        ("12", None),
    ],
)
def test_answers_are_only_one_or_two(text, answer):
    assert rules.parse_answer(text) == answer


def test_checkin_tries_three_times_ten_minutes_apart_then_missed():
    t0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    step = rules.checkin_step
    assert step(rules.CheckinState(0, None, False), t0) == "call"
    assert step(rules.CheckinState(1, t0, False), t0 + dt.timedelta(minutes=9)) == "wait"
    assert step(rules.CheckinState(1, t0, False), t0 + dt.timedelta(minutes=10)) == "call"
    assert step(rules.CheckinState(3, t0, False), t0 + dt.timedelta(minutes=10)) == "missed"
    assert step(rules.CheckinState(2, t0, True), t0) == "done"


def test_escalation_goes_primary_backup_secretary():
    t0 = dt.datetime(2026, 3, 2, 9, 30, tzinfo=TZ)
    levels = [rules.escalation_level(t0, t0 + dt.timedelta(minutes=m)) for m in (0, 31, 61)]
    assert levels == ["primary", "backup", "secretary"]


def test_board_colours():
    assert rules.colour("safe", overdue=True) == "green"
    assert rules.colour("help", overdue=False) == "yellow"
    assert rules.colour("unreachable", overdue=False) == "grey"
    assert rules.colour("pending", overdue=False) == "waiting"
    assert rules.colour("pending", overdue=True) == "red"


def test_aliyun_signature_matches_the_documented_example():
    # The worked example of Alibaba Cloud's RPC signature documentation (SendSms).
    params = {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    }
    assert (
        signing.aliyun_rpc_signature(params, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    )


def test_callback_signature_window_and_tampering():
    body = b'[{"call_id":"c1"}]'
    good = f"t=1000,v1={signing.callback_signature('s3cret', 1000, body)}"
    assert signing.check_callback("s3cret", good, body, 1100) is None
    assert "match" in signing.check_callback("s3cret", good, body + b" ", 1100)
    assert "replay" in signing.check_callback("s3cret", good, body, 1000 + 301)
    assert "timestamp" in signing.check_callback("s3cret", "v1=abc", body, 1000)
    assert "secret" in signing.check_callback("", good, body, 1000)


def test_callback_bodies_become_events_with_unique_keys():
    events = callbacks.parse(
        "aliyun-voice",
        b'[{"call_id":"c1","out_id":"rollcall:1:1","status_code":"200000","dtmf":"1"}]',
    )
    assert events[0].key == "aliyun-voice:call:c1" and events[0].text == "1" and events[0].ok
    with pytest.raises(callbacks.CallbackError, match="item 0: missing call_id"):
        callbacks.parse("aliyun-voice", b'[{"out_id":"x"}]')
    with pytest.raises(callbacks.CallbackError, match="not JSON"):
        callbacks.parse("aliyun-sms", b"<xml/>")


CAP = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>51000041600000_20260302090000</identifier><sender>四川省气象台</sender>
  <sent>2026-03-02T09:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType>
  <info><event>暴雨</event><severity>Severe</severity><headline>暴雨红色预警</headline>
    <area><areaDesc>玉林</areaDesc><geocode><valueName>GB2260</valueName><value>510107005002</value></geocode>
    <geocode><valueName>GB2260</valueName><value>999999</value></geocode></area></info>
</alert>"""


def test_a_warning_names_its_places():
    warning = cap.parse_warning(CAP.encode())
    assert warning.codes == ("510107005002", "999999")
    assert warning.headline == "暴雨红色预警" and warning.status == "Actual"


def test_a_warning_with_entities_is_refused_not_expanded():
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;">]><alert>&y;</alert>'
    with pytest.raises(cap.WarningError, match="refused XML construct"):
        cap.parse_warning(bomb)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<alert><identifier>x</identifier></alert>", "<info> is missing"),
        (b"<alert", "not well-formed"),
        (b"<foo/>", "not <alert>"),
        (b"<alert><identifier>x</identifier><info/></alert>", "no <area>"),
    ],
)
def test_bad_warnings_say_what_is_wrong(body, message):
    with pytest.raises(cap.WarningError, match=message):
        cap.parse_warning(body)
