from __future__ import annotations

import json

from django.conf import settings

from .aliyun import call
from .base import Backend as Base
from .base import Outgoing, SendError


class Backend(Base):
    """Dysmsapi SendSms with the approved signature and template of the purpose."""

    name = "aliyun_sms"

    def send(self, message: Outgoing) -> str:
        template = settings.LINLI_REACH_TEMPLATES.get(message.purpose, "")
        if not template or not settings.LINLI_REACH_SMS_SIGN:
            raise SendError(f"no SMS signature/template set for {message.purpose}", retry=False)
        data = call(
            settings.LINLI_REACH_ALIYUN_SMS_URL,
            "SendSms",
            {
                "PhoneNumbers": message.to,
                "SignName": settings.LINLI_REACH_SMS_SIGN,
                "TemplateCode": template,
                "TemplateParam": json.dumps(message.params, ensure_ascii=False),
                "OutId": message.ref,
            },
        )
        return str(data.get("BizId", ""))
