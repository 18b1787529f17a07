"""Tencent Cloud SMS SendSms (API 3.0, 2021-01-11), signed TC3-HMAC-SHA256 as the SDK signs."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from django.conf import settings

from linli.domain.reach.signing import tc3_authorization

from .base import Backend as Base
from .base import Outgoing, SendError, post

PERMANENT = (
    "InvalidParameterValue",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "AuthFailure",
    "UnauthorizedOperation",
    "FailedOperation.InsufficientBalanceInSmsPackage",
)


class Backend(Base):
    name = "tencent_sms"

    def send(self, message: Outgoing) -> str:
        secret_id, secret_key = settings.TENCENTCLOUD_SECRET_ID, settings.TENCENTCLOUD_SECRET_KEY
        template = settings.LINLI_REACH_TEMPLATES.get(message.purpose, "")
        if not secret_id or not secret_key or not settings.LINLI_REACH_TENCENT_SDK_APP_ID:
            raise SendError("TENCENTCLOUD_SECRET_ID/KEY or the SdkAppId are not set", retry=False)
        if not template or not settings.LINLI_REACH_SMS_SIGN:
            raise SendError(f"no SMS signature/template set for {message.purpose}", retry=False)
        url = settings.LINLI_REACH_TENCENT_SMS_URL
        host = urlsplit(url).netloc
        payload = json.dumps(
            {
                "PhoneNumberSet": [f"+86{message.to}"],
                "SmsSdkAppId": settings.LINLI_REACH_TENCENT_SDK_APP_ID,
                "SignName": settings.LINLI_REACH_SMS_SIGN,
                "TemplateId": template,
                "TemplateParamSet": [str(v) for v in message.params.values()],
                "SessionContext": message.ref,
            },
            ensure_ascii=False,
        ).encode()
        now = int(time.time())
        content_type = "application/json; charset=utf-8"
        headers = {
            "Authorization": tc3_authorization(
                secret_id=secret_id,
                secret_key=secret_key,
                service="sms",
                host=host,
                payload=payload,
                timestamp=now,
                content_type=content_type,
                action="SendSms",
            ),
            "Content-Type": content_type,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(now),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": settings.LINLI_REACH_TENCENT_REGION,
        }
        answer = post(url, payload, headers)
        response = (answer.json or {}).get("Response", {}) if isinstance(answer.json, dict) else {}
        if "Error" in response:
            code = str(response["Error"].get("Code", ""))
            retry = not code.startswith(PERMANENT)
            raise SendError(f"SendSms refused: {code}", retry=retry)
        statuses = response.get("SendStatusSet") or [{}]
        status = statuses[0]
        if status.get("Code") != "Ok":
            code = str(status.get("Code", f"HTTP {answer.status}"))
            raise SendError(f"SendSms refused: {code}", retry=not code.startswith(PERMANENT))
        return str(status.get("SerialNo", ""))
