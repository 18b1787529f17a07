"""Issue 18, item 7: nginx's access log kept query strings (searches by phone number and ID
digits). The recipe's nginx, run as written (ports, certificate and paths moved into a
temporary directory), logs the path of each request and nothing of its query."""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "deploy/nginx/linli.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRETS = ["13800138000", "510107194003050074", "q=", "phone"]
LEAKY = (
    "$request ",
    '$request"',
    "$request_uri",
    "$args",
    "$query_string",
    "$arg_",
    "$http_referer",
    "$request_body",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_access_log_of_the_recipe_uses_a_format_without_the_query():
    conf = RECIPE.read_text()
    formats = dict(re.findall(r"log_format\s+(\w+)\s+((?:'[^']*'\s*)+);", conf))
    assert formats, "the recipe defines its own log format"
    for name, text in formats.items():
        assert not any(variable in text + " " for variable in LEAKY), (name, text)
    servers = conf.split("server {")[1:]
    assert servers
    for block in servers:
        logs = re.findall(r"access_log\s+([^;]+);", block)
        assert logs, "a server without access_log logs nginx's default format, with the query"
        for log in logs:
            parts = log.split()
            assert parts == ["off"] or (len(parts) >= 2 and parts[1] in formats), log


def nginx_version() -> tuple[int, ...]:
    banner = subprocess.run([NGINX, "-v"], capture_output=True, text=True, timeout=10).stderr
    return tuple(int(n) for n in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", banner).groups())


class Upstream:
    """gunicorn's stand-in: answers every request with 200."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server.server_port


@pytest.mark.skipif(
    not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx)"
)
def test_nginx_run_from_the_recipe_logs_no_query_strings(tmp_path):
    upstream = Upstream()
    http_port, https_port = free_port(), free_port()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=linli.example.gov.cn",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = RECIPE.read_text()
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    site = site.replace("/etc/ssl/linli/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/linli/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/var/lib/linli/static/", f"{tmp_path}/static/")
    site = site.replace("127.0.0.1:8001", f"127.0.0.1:{upstream.port}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    if nginx_version() < (1, 25, 1):  # Debian 12's 1.22 has no "http2 on" (logging is the same)
        site = site.replace("    http2 on;\n", "")
    (tmp_path / "linli.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log {tmp_path}/default.log;\n"
        f"  client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"  fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f"  scgi_temp_path {tmp_path}/scgi;\n  include {tmp_path}/linli.conf;\n}}\n"
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        base = f"https://127.0.0.1:{https_port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                request = urllib.request.Request(
                    f"{base}/register/?q=13800138000&id=510107194003050074&phone=1",
                    headers={"Referer": f"{base}/register/?q=510107194003050074"},
                )
                with urllib.request.urlopen(request, context=context, timeout=5) as answer:
                    assert answer.status == 200
                break
            except OSError:
                assert nginx.poll() is None, nginx.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not come up"
                time.sleep(0.1)
        urllib.request.urlopen(f"http://127.0.0.1:{http_port}/healthz?q=13800138000", timeout=5)
        log = tmp_path / "linli.access.log"
        deadline = time.monotonic() + 10
        while log.read_text().count("\n") < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        written = log.read_text()
        assert '"GET /register/ HTTP/1.1" 200' in written and '"GET /healthz HTTP/1.1"' in written
        assert not any(secret in written for secret in SECRETS), written
        assert not (tmp_path / "default.log").exists() or not (tmp_path / "default.log").read_text()
    finally:
        nginx.terminate()
        nginx.wait(10)
        upstream.server.shutdown()
