"""Outbound HTTP goes through one helper that calls only the group-robot servers over https
(issue 18, item 5: a secretary's robot URL read 127.0.0.1 back into the back office)."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.utils import translation
from werkzeug import Response

from linli.common import outbound
from linli.common.outbound import OutboundRefused, check_url, post_json, validate_outbound_url

SRC = Path(outbound.__file__).resolve().parents[1]

# Every way of writing "this machine", its neighbours or the metadata service we know of.
HOSTILE = [
    "http://127.0.0.1:{port}/hook",
    "https://127.0.0.1:{port}/hook",
    "https://127.0.0.1/hook",
    "http://localhost:{port}/hook",
    "https://localhost/hook",
    "http://[::1]:{port}/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/",
    "http://2130706433:{port}/hook",  # 127.0.0.1 as one decimal number
    "https://2130706433/hook",
    "http://0x7f000001:{port}/hook",  # in hex
    "https://0x7f.0.0.1/hook",
    "https://0177.0.0.1/hook",  # in octal
    "https://127.1/hook",
    "https://0.0.0.0/hook",
    "https://10.0.0.1/hook",
    "https://192.168.1.1/hook",
    "https://qyapi.weixin.qq.com@127.0.0.1:{port}/hook",  # user info in front of loopback
    "https://qyapi.weixin.qq.com:{port}/cgi-bin/webhook/send",  # a listed host, another port
    "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",  # a listed host, plain http
    "https://qyapi.weixin.qq.com.attacker.example/cgi-bin/webhook/send",
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "gopher://127.0.0.1:6379/_INFO",
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the refusals are matched on their English wording
        yield


def test_the_default_settings_list_only_the_robot_servers():
    assert django_settings.LINLI_WEBHOOK_HOSTS == ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
    assert django_settings.LINLI_WEBHOOK_TEST_LOOPBACK is False


@pytest.mark.parametrize("template", HOSTILE)
def test_loopback_private_and_metadata_addresses_are_refused_by_default(httpserver, template):
    url = template.format(port=httpserver.port)
    httpserver.expect_request("/hook").respond_with_json({"errcode": 0, "secret": "s3cret"})
    with pytest.raises(ValidationError):
        validate_outbound_url(url)
    with pytest.raises(OutboundRefused) as refused:
        post_json(url, {"msgtype": "text"})
    assert "s3cret" not in str(refused.value)
    assert httpserver.log == []  # nothing was sent anywhere


def test_the_real_robot_urls_pass_the_form_check():
    validate_outbound_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6")
    validate_outbound_url("https://oapi.dingtalk.com/robot/send?access_token=abc")
    validate_outbound_url("https://QYAPI.weixin.qq.com./cgi-bin/webhook/send?key=k")


def test_a_listed_host_that_resolves_to_loopback_is_refused(settings, httpserver):
    settings.LINLI_WEBHOOK_HOSTS = ["localhost"]
    with pytest.raises(OutboundRefused, match="resolves to an address"):
        post_json("https://localhost/hook", {})
    assert httpserver.log == []


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.0.2",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
        "0.0.0.0",
    ],
)
def test_a_robot_host_whose_dns_answers_an_inside_address_is_refused(monkeypatch, address):
    """DNS is the attacker's too: the address is checked after resolving, and used as checked."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    answer = [(family, socket.SOCK_STREAM, 6, "", (address, 443))]
    monkeypatch.setattr(outbound.socket, "getaddrinfo", lambda *a, **k: answer)
    with pytest.raises(OutboundRefused, match="resolves to an address"):
        post_json("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", {})


@pytest.fixture
def robot_on_loopback(settings):
    settings.LINLI_WEBHOOK_HOSTS = ["localhost"]
    settings.LINLI_WEBHOOK_TEST_LOOPBACK = True


def test_a_listed_robot_gets_the_message(httpserver, robot_on_loopback):
    httpserver.expect_request("/hook", method="POST").respond_with_json({"errcode": 0})
    answer = post_json(httpserver.url_for("/hook?key=k"), {"text": "邻里"})
    assert (answer.status, answer.json) == (200, {"errcode": 0})
    [(request, _)] = httpserver.log
    assert request.get_json() == {"text": "邻里"} and request.args["key"] == "k"


def test_a_redirect_is_not_followed(httpserver, robot_on_loopback):
    httpserver.expect_request("/hook").respond_with_response(
        Response(status=302, headers={"Location": httpserver.url_for("/internal")})
    )
    httpserver.expect_request("/internal").respond_with_json({"errcode": 0})
    answer = post_json(httpserver.url_for("/hook"), {})
    assert answer.status == 302
    assert [r.path for r, _ in httpserver.log] == ["/hook"]


def test_only_the_helper_opens_http_connections():
    """Any future channel must use linli.common.outbound: nothing else imports an HTTP client."""
    clients = {"urllib.request", "http.client", "requests", "httpx", "urllib3", "aiohttp"}
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == Path(outbound.__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Attribute) and node.attr in {"urlopen", "create_connection"}:
                names = [node.attr]
            hits = [n for n in names if n in clients or n in {"urlopen", "create_connection"}]
            if hits:
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {hits}")
    assert not offenders, offenders


def test_check_url_keeps_the_path_and_query():
    target = check_url("https://oapi.dingtalk.com/robot/send?access_token=abc")
    assert (target.host, target.port, target.path) == (
        "oapi.dingtalk.com",
        443,
        "/robot/send?access_token=abc",
    )
