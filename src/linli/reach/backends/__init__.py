"""Backends that send SMS and calls, chosen by settings like Django's email backends.

``console`` prints, ``file`` appends JSON lines, ``locmem`` keeps messages in ``locmem.outbox``
(tests, the benchmark); ``aliyun_sms``, ``aliyun_voice`` and ``tencent_sms`` speak the
providers' documented, signed APIs through ``linli.common.outbound``.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from .base import Backend, Outgoing, SendError

__all__ = ["Backend", "Outgoing", "SendError", "backend_for"]

NAMES = ("console", "file", "locmem", "aliyun_sms", "aliyun_voice", "tencent_sms")


def backend_for(channel: str) -> Backend:
    name = (
        settings.LINLI_REACH_VOICE_BACKEND
        if channel == "voice"
        else settings.LINLI_REACH_SMS_BACKEND
    )
    if name not in NAMES:
        raise ValueError(f"unknown reach backend {name!r} (one of {', '.join(NAMES)})")
    return import_module(f"{__name__}.{name}").Backend()
