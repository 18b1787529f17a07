from __future__ import annotations

import json

from django.conf import settings

from .aliyun import call
from .base import Backend as Base
from .base import Outgoing, SendError


class Backend(Base):
    """Dyvmsapi IvrCall (text-to-speech menu, keypress 1 or 2 comes back in the call report)."""

    name = "aliyun_voice"

    def send(self, message: Outgoing) -> str:
        template = settings.LINLI_REACH_TEMPLATES.get(message.purpose, "")
        if not template or not settings.LINLI_REACH_CALLED_SHOW_NUMBER:
            raise SendError(f"no TTS template/show number set for {message.purpose}", retry=False)
        data = call(
            settings.LINLI_REACH_ALIYUN_VOICE_URL,
            "IvrCall",
            {
                "CalledNumber": message.to,
                "CalledShowNumber": settings.LINLI_REACH_CALLED_SHOW_NUMBER,
                "StartCode": template,
                "StartTtsParams": json.dumps(message.params, ensure_ascii=False),
                "MenuKeyMap": json.dumps(
                    [{"Key": "1", "Code": template}, {"Key": "2", "Code": template}]
                ),
                "Timeout": "30000",
                "OutId": message.ref,
            },
        )
        return str(data.get("CallId", ""))
