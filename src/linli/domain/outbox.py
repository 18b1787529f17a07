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
    """Both robots answer HTTP 200 with ``{"errcode": 0, "errmsg": "ok"}`` when they take it.

    The reason kept is a status and the robot's numeric error code, never text of the
    answer (a robot URL pointed elsewhere would otherwise read that server back to us)."""
    if status != 200:
        return False, f"HTTP {status}"
    code = answer.get("errcode") if isinstance(answer, dict) else None
    if code == 0:
        return True, ""
    if isinstance(code, int) and not isinstance(code, bool):
        return False, f"robot refused: errcode {code}"
    return False, "robot refused: not a robot answer"
