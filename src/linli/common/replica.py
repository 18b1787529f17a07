"""Officers' read-only pages on a streaming replica, with read-your-writes (issue 24).

With ``DATABASE_REPLICA_URL`` set, the ``replica`` database alias exists and
:class:`ReplicaRouter` sends the reads of a view wrapped in :func:`reads_from_replica`
(roll-ups, dashboards) to it; every write, and every other read, stays on the primary.
Someone who has just written (any non-GET request) carries a cookie with the time of the
write, and for ``LINLI_REPLICA_PIN_SECONDS`` their pages read from the primary, so they
never see a replica that has not caught up with their own write.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import time
from collections.abc import Callable, Iterator

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "linli_wrote"
SAFE = {"GET", "HEAD", "OPTIONS"}
_reading = contextvars.ContextVar("linli_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "LINLI_REPLICA_READS", True)


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica (when there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def pinned(request) -> bool:
    """Whether the request's sender wrote recently enough to read from the primary."""
    try:
        wrote = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return time.time() - wrote < settings.LINLI_REPLICA_PIN_SECONDS


def reads_from_replica(view: Callable) -> Callable:
    """A read-only view whose reads may go to the replica."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in SAFE or pinned(request) or not replica_configured():
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # it follows the primary's schema by streaming


class PinAfterWriteMiddleware:
    """After a write request, the sender reads from the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                f"{time.time():.3f}",
                max_age=settings.LINLI_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
