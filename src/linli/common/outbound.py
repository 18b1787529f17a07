"""The one way Linli speaks HTTP to another server: group robots today, any channel tomorrow.

A URL is used only when it is ``https``, names a host listed in ``LINLI_WEBHOOK_HOSTS``
exactly (no user, no other port than 443, no IP literal unless listed) and every address
that host resolves to is a public unicast address — never loopback, private, link-local
(the cloud metadata address 169.254.169.254), shared, reserved or multicast. The
connection goes to the address that was checked, so a second DNS answer cannot send it
elsewhere; redirects are not followed (a 3xx is just a status); at most ``MAX_ANSWER``
bytes of the answer are read and only the status and a JSON object go back to the
caller, to decide whether the message was taken — nothing of the answer is kept.

``LINLI_WEBHOOK_TEST_LOOPBACK`` (tests only; refused in production) also lets a listed
host resolve to loopback and use plain http, so tests reach a robot on 127.0.0.1.
``tests/common/test_outbound.py`` proves the rest is refused with the default settings.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ANSWER = 64 * 1024
TIMEOUT = 10.0


class OutboundRefused(ValueError):
    """The URL may not be called; the message says why (never with the answer of a server)."""


@dataclass(frozen=True)
class Answer:
    status: int
    json: Any  # the decoded JSON body, or None


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def _loopback_allowed() -> bool:
    return bool(getattr(settings, "LINLI_WEBHOOK_TEST_LOOPBACK", False))


def _allowed_hosts(hosts: Any = None) -> set[str]:
    listed = settings.LINLI_WEBHOOK_HOSTS if hosts is None else hosts
    return {h.strip().lower().rstrip(".") for h in listed if h.strip()}


def check_url(url: str, *, hosts: Any = None) -> _Target:
    """The parts of ``url`` when it may be called at all (no DNS yet); else OutboundRefused.
    ``hosts``: the list that applies (default: the group-robot servers)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise OutboundRefused(_("The address is not a valid URL.")) from None
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and _loopback_allowed()):
        raise OutboundRefused(_("Only https addresses are allowed."))
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused(_("The address may not carry a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if host not in _allowed_hosts(hosts):
        message = (
            _("%(host)s is not a group-robot server Linli may send to (allowed: %(allowed)s).")
            if hosts is None
            else _("%(host)s is not a provider server Linli may send to (allowed: %(allowed)s).")
        )
        raise OutboundRefused(
            message % {"host": host or "?", "allowed": ", ".join(sorted(_allowed_hosts(hosts)))}
        )
    if port not in (None, 443) and not _loopback_allowed():
        raise OutboundRefused(_("Only the standard https port 443 is allowed."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return _loopback_allowed()
    return ip.is_global and not ip.is_multicast


def resolve(target: _Target) -> list[str]:
    """Every address of the target's host, each one public; else OutboundRefused."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except OSError:
        raise OutboundRefused(_("%(host)s cannot be resolved.") % {"host": target.host}) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not _public(a)]
    if refused or not addresses:
        raise OutboundRefused(
            _("%(host)s resolves to an address Linli may not send to (%(address)s).")
            % {"host": target.host, "address": ", ".join(refused) or "-"}
        )
    return addresses


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to one checked address, with the host name for SNI and the certificate."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


def post_json(url: str, payload: Any, *, timeout: float = TIMEOUT) -> Answer:
    """POST ``payload`` as JSON to ``url`` under the rules above; OutboundRefused when the
    URL may not be called, OSError (or http.client's errors) when the network fails."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return post(url, body, {"Content-Type": "application/json; charset=utf-8"}, timeout=timeout)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    hosts: Any = None,
    timeout: float = TIMEOUT,
) -> Answer:
    """POST ``body`` with ``headers`` under the same rules (``hosts``: see check_url)."""
    target = check_url(url, hosts=hosts)
    last_error: Exception | None = None
    for address in resolve(target):
        kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
        connection = kind(target.host, target.port, address, timeout)
        try:
            connection.request(
                "POST",
                target.path,
                body=body,
                headers=headers,
            )
            response = connection.getresponse()
            raw = response.read(MAX_ANSWER)
            try:
                decoded = json.loads(raw) if raw else None
            except ValueError:
                decoded = None
            return Answer(response.status, decoded)
        except ConnectionRefusedError as error:  # try the host's next address
            last_error = error
        finally:
            connection.close()
    assert last_error is not None
    raise last_error


def validate_outbound_url(url: str) -> None:
    """Field validator: the URL could be called (https, a listed host); DNS is checked when sending."""
    try:
        check_url(url)
    except OutboundRefused as error:
        raise ValidationError(str(error), code="outbound_url") from None
