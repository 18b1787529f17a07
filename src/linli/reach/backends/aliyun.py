"""Alibaba Cloud RPC calls (Dysmsapi / Dyvmsapi 2017-05-25), signed with HMAC-SHA1 as the SDK signs."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings

from linli.domain.reach.signing import aliyun_rpc_body

from .base import SendError, post

# Codes that will not change on a retry (the number, the template or the account is wrong).
PERMANENT = (
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "isv.INVALID_PARAMETERS",
    "isv.OUT_OF_SERVICE",
    "isv.AMOUNT_NOT_ENOUGH",
    "isv.BLACK_KEY_CONTROL_LIMIT",
)


def call(url: str, action: str, params: dict[str, str]) -> dict:
    key_id = settings.ALIBABA_CLOUD_ACCESS_KEY_ID
    secret = settings.ALIBABA_CLOUD_ACCESS_KEY_SECRET
    if not key_id or not secret:
        raise SendError("ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET are not set", retry=False)
    common = {
        "AccessKeyId": key_id,
        "Action": action,
        "Format": "JSON",
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
    }
    body = aliyun_rpc_body({**common, **params}, secret).encode()
    answer = post(url, body, {"Content-Type": "application/x-www-form-urlencoded"})
    data = answer.json if isinstance(answer.json, dict) else {}
    code = str(data.get("Code", f"HTTP {answer.status}"))
    if code != "OK":
        retry = not any(code.startswith(p) for p in PERMANENT) and answer.status != 400
        raise SendError(
            f"{action} refused: {code} {str(data.get('Message', ''))[:120]}", retry=retry
        )
    return data
