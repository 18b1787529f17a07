"""API tokens: what each purpose lets a token do, and how a raw token is made and found."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Can

RAW_PREFIX = "linli_"
SHOWN_CHARS = 12  # how much of a token is kept in clear to tell tokens apart


class Purpose(models.TextChoices):
    REGISTER_READ = "register_read", _("Read the register")
    PLACES_READ = "places_read", _("Read places")
    SERVICE_REQUESTS = "service_requests", _("File and follow service requests")
    SCREENING_WRITE = "screening_write", _("Send daily screenings")
    WARNINGS = "warnings", _("Post warning messages that start roll-calls")


# Per purpose: the API paths a token may call (read only) and the capabilities it carries.
PURPOSE_PATHS: dict[str, tuple[str, ...]] = {
    Purpose.REGISTER_READ: ("/api/register/",),
    Purpose.PLACES_READ: ("/api/places/",),
    Purpose.SERVICE_REQUESTS: ("/api/services/",),
    Purpose.SCREENING_WRITE: ("/api/screenings/",),
    Purpose.WARNINGS: ("/reach/warnings/",),
}
PURPOSE_CAN: dict[str, frozenset[str]] = {
    Purpose.REGISTER_READ: frozenset({Can.VIEW_REGISTER}),
    Purpose.PLACES_READ: frozenset(),
    Purpose.SERVICE_REQUESTS: frozenset({Can.ASK_SERVICE}),
    Purpose.SCREENING_WRITE: frozenset({Can.SCREEN}),
    Purpose.WARNINGS: frozenset(),
}
READ_METHODS = frozenset({"GET", "HEAD"})
# Purposes that may also write (POST) under their paths; every other token only reads.
WRITE_PURPOSES = frozenset({Purpose.SERVICE_REQUESTS, Purpose.SCREENING_WRITE, Purpose.WARNINGS})


def new_raw_token() -> str:
    return RAW_PREFIX + secrets.token_urlsafe(32)


def digest(raw: str) -> str:
    """SHA-256 of the token: the token is 256 random bits, so no salt or slow hash is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


def allows(purpose: str, method: str, path: str) -> bool:
    writes = method == "POST" and purpose in WRITE_PURPOSES
    return (method in READ_METHODS or writes) and path.startswith(PURPOSE_PATHS.get(purpose, ()))
