from __future__ import annotations

import sys

from .base import Backend as Base
from .base import Outgoing


class Backend(Base):
    name = "console"

    def send(self, message: Outgoing) -> str:
        sys.stdout.write(f"[{message.channel} → {message.to}] {message.text()}\n")
        return f"console-{message.ref}"
