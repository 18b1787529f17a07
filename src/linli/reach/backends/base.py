"""What a backend is given and what it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from linli.common import outbound

TEXTS = {
    ("checkin", "mandarin"): "您好，这里是社区平安报。按1平安，按2需要帮助。",
    ("checkin", "sichuanese"): "您好，社区来问下您平安不。好的话按1，要帮忙按2。",
    ("rollcall", "mandarin"): "社区全员点名：{reason}。按1平安，按2需要帮助。",
    ("rollcall", "sichuanese"): "社区点名：{reason}。好的话按1，要帮忙按2。",
}


@dataclass(frozen=True)
class Outgoing:
    ref: str  # our id of the message (the providers' OutId / SessionContext)
    channel: str
    to: str
    purpose: str
    params: dict[str, Any] = field(default_factory=dict)
    language: str = "mandarin"

    def text(self) -> str:
        template = TEXTS.get((self.purpose, self.language)) or TEXTS[(self.purpose, "mandarin")]
        return template.format(**{"reason": "", **self.params})


class SendError(Exception):
    """A send that did not go: ``retry`` for timeouts, 5xx and throttling; else permanent."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Backend:
    name = "base"

    def send(self, message: Outgoing) -> str:
        """Send; the provider's id of the message, or SendError."""
        raise NotImplementedError


def post(url: str, body: bytes, headers: dict[str, str]) -> outbound.Answer:
    """Through the one outbound rule; network failures and 5xx are worth another try."""
    try:
        answer = outbound.post(
            url,
            body,
            headers,
            hosts=settings.LINLI_REACH_HOSTS,
            timeout=settings.LINLI_REACH_TIMEOUT,
        )
    except outbound.OutboundRefused as error:
        raise SendError(str(error), retry=False) from None
    except (OSError, ValueError) as error:  # timeouts, refused connections, broken answers
        raise SendError(f"{type(error).__name__}: {error}", retry=True) from None
    if answer.status >= 500 or answer.status == 429:
        raise SendError(f"HTTP {answer.status}", retry=True)
    return answer
