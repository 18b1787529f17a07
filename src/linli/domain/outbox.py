"""Delivery rules for the notification outbox: back-off, and the group-robot message formats.

Plain Python, no Django: the outbox model calls these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .backoff import BACKOFF_SECONDS, backoff

MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after ``attempts`` failures; ``None`` once it is time to give up."""
    wait = backoff(attempts)
    return None if wait is None else now + dt.timedelta(seconds=wait)


def robot_payload(kind: str, title: str, body: str, link: str = "") -> dict[str, Any]:
    """A markdown message for a WeCom (企业微信) or DingTalk (钉钉) group robot webhook."""
    text = f"**{title}**\n\n{body}" + (f"\n\n[{link}]({link})" if link else "")
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    raise ValueError(f"unknown robot kind {kind!r}")


def robot_accepted(status: int, answer: Any) -> tuple[bool, str]:
    """Both robots answer HTTP 200 with ``{"errcode": 0, "errmsg": "ok"}`` when they take it."""
    if status != 200:
        return False, f"HTTP {status}"
    if not isinstance(answer, dict) or answer.get("errcode") != 0:
        return False, f"robot refused: {str(answer)[:200]}"
    return True, ""
