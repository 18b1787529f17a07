from __future__ import annotations

import json

from django.conf import settings

from .base import Backend as Base
from .base import Outgoing


class Backend(Base):
    """One JSON line per message in ``LINLI_REACH_FILE_PATH``/messages.jsonl."""

    name = "file"

    def send(self, message: Outgoing) -> str:
        directory = settings.LINLI_REACH_FILE_PATH
        directory.mkdir(parents=True, exist_ok=True)
        line = {
            "ref": message.ref,
            "channel": message.channel,
            "to": message.to,
            "purpose": message.purpose,
            "text": message.text(),
        }
        with open(directory / "messages.jsonl", "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file-{message.ref}"
