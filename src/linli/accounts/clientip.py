"""The client's address for sign-in throttling, behind a known number of reverse proxies."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or with LINLI_PROXY_COUNT = n > 0 the n-th address from the right of
    X-Forwarded-For: the one our own outermost proxy saw. Addresses further left are
    whatever the client sent and are never trusted."""
    count = settings.LINLI_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
