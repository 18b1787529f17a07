"""Request links: a signed, expiring link per resident or per community, so a person can ask
for help on a phone without an account. The link carries only an id or a community code
(signed, never encrypted: nothing personal is in it), the page shows nothing personal, and
the requests it can make are limited per link and per address."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

SALT = "linli.services.request-link"
MAX_AGE_DAYS = 14
PER_LINK_PER_HOUR = {"resident": 3, "community": 20}
PER_ADDRESS_PER_HOUR = 10


class BadLink(Exception):
    """The link is forged, damaged or expired."""


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # "resident" | "community"
    value: str  # resident id or community code
    key: str  # a short digest of the link, stored with the requests it made


def make_link(*, resident_id: int | None = None, community_code: str | None = None) -> str:
    if (resident_id is None) == (community_code is None):
        raise ValueError("a link is for one resident or one community")
    payload = {"r": resident_id} if resident_id is not None else {"c": community_code}
    return signing.dumps(payload, salt=SALT, compress=True)


def read_link(token: str) -> LinkTarget:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        raise BadLink from None
    key = hashlib.sha256(token.encode()).hexdigest()[:16]
    if "r" in payload:
        return LinkTarget("resident", str(payload["r"]), key)
    return LinkTarget("community", str(payload["c"]), key)


def over_limit(target: LinkTarget, address: str | None, now) -> bool:
    """True when this link or this address has made too many requests in the last hour."""
    import datetime as dt

    from .models import ServiceRequest

    made = ServiceRequest.objects.filter(
        link_key=target.key, created_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if made >= PER_LINK_PER_HOUR[target.kind]:
        return True
    return bool(address) and cache.get(f"services-ask:{address}", 0) >= PER_ADDRESS_PER_HOUR


def count_address(address: str | None) -> None:
    if not address:
        return
    key = f"services-ask:{address}"
    if cache.add(key, 1, timeout=3600):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
