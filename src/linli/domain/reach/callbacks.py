"""Provider callback bodies (delivery receipts, SMS replies, call results with keypress) as events.

Alibaba Cloud pushes JSON arrays (SmsReport, SmsUp, VoiceReport); Tencent Cloud pushes SMS
status arrays and reply objects. Every event carries a key that names it uniquely, so a
replayed callback is recognised and counted once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class CallbackError(ValueError):
    """A body that is not a callback of the provider; the message says what is wrong and where."""


@dataclass(frozen=True)
class Event:
    key: str
    kind: str  # "receipt" | "reply" | "call"
    provider_ref: str = ""  # the provider's id of the message or call
    out_id: str = ""  # our id, when the provider echoes it
    phone: str = ""
    ok: bool = True
    text: str = ""  # SMS reply text or keypresses


def _items(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body)
    except ValueError as error:
        raise CallbackError(f"the body is not JSON ({error})") from None
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise CallbackError("the body must be an object or a non-empty list of objects")
    return items


def _need(item: dict[str, Any], index: int, *names: str) -> None:
    missing = [n for n in names if not str(item.get(n, "")).strip()]
    if missing:
        raise CallbackError(f"item {index}: missing {', '.join(missing)}")


def parse(provider: str, body: bytes) -> list[Event]:
    """The events of one callback body, or CallbackError."""
    events = []
    for index, item in enumerate(_items(body)):
        if provider in ("aliyun-sms", "locmem-sms"):
            if "content" in item:  # SmsUp: a reply
                _need(item, index, "phone_number", "sequence_id")
                events.append(
                    Event(
                        key=f"{provider}:up:{item['sequence_id']}",
                        kind="reply",
                        phone=str(item["phone_number"]),
                        text=str(item["content"]),
                    )
                )
            else:  # SmsReport
                _need(item, index, "biz_id")
                events.append(
                    Event(
                        key=f"{provider}:report:{item['biz_id']}",
                        kind="receipt",
                        provider_ref=str(item["biz_id"]),
                        out_id=str(item.get("out_id") or ""),
                        phone=str(item.get("phone_number") or ""),
                        ok=bool(item.get("success")),
                        text=str(item.get("err_code") or ""),
                    )
                )
        elif provider in ("aliyun-voice", "locmem-voice"):
            _need(item, index, "call_id")
            answered = str(item.get("status_code", "")) == "200000"
            events.append(
                Event(
                    key=f"{provider}:call:{item['call_id']}",
                    kind="call",
                    provider_ref=str(item["call_id"]),
                    out_id=str(item.get("out_id") or ""),
                    ok=answered,
                    text=str(item.get("dtmf") or ""),
                )
            )
        elif provider == "tencent-sms":
            if "text" in item:
                _need(item, index, "mobile", "time")
                events.append(
                    Event(
                        key=f"{provider}:reply:{item['mobile']}:{item['time']}",
                        kind="reply",
                        phone=str(item["mobile"]),
                        text=str(item["text"]),
                    )
                )
            else:
                _need(item, index, "sid")
                events.append(
                    Event(
                        key=f"{provider}:report:{item['sid']}",
                        kind="receipt",
                        provider_ref=str(item["sid"]),
                        phone=str(item.get("mobile") or ""),
                        ok=item.get("report_status") == "SUCCESS",
                        text=str(item.get("errmsg") or ""),
                    )
                )
        else:
            raise CallbackError(f"unknown provider {provider!r}")
    return events
