"""Request signatures as the providers' SDKs make them, and Linli's callback signature.

Alibaba Cloud RPC (Dysmsapi, Dyvmsapi, Dyplsapi, version 2017-05-25): HMAC-SHA1 over
``POST&%2F&<percent-encoded canonical query>`` with key ``secret + "&"``.
Tencent Cloud API 3.0: TC3-HMAC-SHA256 (canonical request, string to sign, derived key).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from urllib.parse import quote


def _pct(value: str) -> str:
    return quote(value, safe="-_.~")


def aliyun_rpc_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{_pct(k)}={_pct(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{_pct('/')}&{_pct(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def aliyun_rpc_body(params: dict[str, str], secret: str) -> str:
    """The form body with the ``Signature`` added."""
    signed = dict(params, Signature=aliyun_rpc_signature(params, secret))
    return "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(signed.items()))


def tc3_authorization(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    host: str,
    payload: bytes,
    timestamp: int,
    content_type: str = "application/json; charset=utf-8",
    action: str = "",
) -> str:
    """The ``Authorization`` header of a Tencent Cloud API 3.0 POST."""
    headers = f"content-type:{content_type}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    signed_headers = "content-type;host;x-tc-action"
    canonical = "\n".join(
        ["POST", "/", "", headers, signed_headers, hashlib.sha256(payload).hexdigest()]
    )
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )

    def _hmac(key: bytes, msg: str) -> bytes:
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


CALLBACK_WINDOW = 300  # seconds a signed callback stays valid (replays after that are refused)


def callback_signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def check_callback(secret: str, header: str, body: bytes, now: int) -> str | None:
    """None when ``header`` (``t=<unix>,v1=<hex>``) signs ``body`` within the window; else why not."""
    if not secret:
        return "no callback secret is configured"
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return "the signature header has no timestamp"
    if abs(now - timestamp) > CALLBACK_WINDOW:
        return "the signature is too old or from the future (replay?)"
    if not hmac.compare_digest(callback_signature(secret, timestamp, body), parts.get("v1", "")):
        return "the signature does not match"
    return None
