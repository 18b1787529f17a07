"""A local HTTP server speaking the providers' documented APIs: it checks each request's
signature as the provider does and answers from a script (OK, 5xx, a hang, a refusal)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from linli.domain.reach.signing import aliyun_rpc_signature, tc3_authorization

ALIYUN_SECRET = "aliyun-test-secret"
TENCENT_ID, TENCENT_KEY = "AKIDtest", "tencent-test-key"


class Provider:
    def __init__(self) -> None:
        self.script: list[str] = []  # "ok" | "503" | "hang" | "bad-number"
        self.received: list[dict] = []
        self.refused_signatures = 0
        self.delay = 0.0  # seconds between taking a message and answering
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                step = provider.script.pop(0) if provider.script else "ok"
                if step == "hang":
                    time.sleep(1.5)
                if self.headers.get("X-TC-Action"):
                    self._tencent(body, step)
                else:
                    self._aliyun(body, step)

            def _answer(self, status, payload):
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _aliyun(self, body, step):
                params = dict(parse_qsl(body.decode()))
                signature = params.pop("Signature", "")
                if signature != aliyun_rpc_signature(params, ALIYUN_SECRET):
                    provider.refused_signatures += 1
                    return self._answer(400, {"Code": "SignatureDoesNotMatch"})
                if step == "503":
                    return self._answer(503, {"Code": "ServiceUnavailable"})
                if step == "bad-number":
                    return self._answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "x"})
                provider.received.append(params)
                n = len(provider.received)
                time.sleep(provider.delay)
                return self._answer(200, {"Code": "OK", "BizId": f"biz{n}", "CallId": f"call{n}"})

            def _tencent(self, body, step):
                expected = tc3_authorization(
                    secret_id=TENCENT_ID,
                    secret_key=TENCENT_KEY,
                    service="sms",
                    host=self.headers["Host"],
                    payload=body,
                    timestamp=int(self.headers["X-TC-Timestamp"]),
                    content_type=self.headers["Content-Type"],
                    action=self.headers["X-TC-Action"],
                )
                if self.headers.get("Authorization") != expected:
                    provider.refused_signatures += 1
                    return self._answer(
                        200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure"}}}
                    )
                if step == "503":
                    return self._answer(502, {})
                data = json.loads(body)
                if step == "bad-number":
                    status = {"Code": "InvalidParameterValue.IncorrectPhoneNumber"}
                    return self._answer(200, {"Response": {"SendStatusSet": [status]}})
                provider.received.append(data)
                serial = f"serial{len(provider.received)}"
                return self._answer(
                    200,
                    {"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": serial, "Fee": 1}]}},
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
