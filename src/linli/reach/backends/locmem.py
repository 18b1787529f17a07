from __future__ import annotations

from .base import Backend as Base
from .base import Outgoing

outbox: list[Outgoing] = []


class Backend(Base):
    """Keeps messages in ``outbox`` (tests and the benchmark read and clear it)."""

    name = "locmem"

    def send(self, message: Outgoing) -> str:
        outbox.append(message)
        return f"locmem-{message.ref}"
