"""Making, revoking and using API tokens."""

from __future__ import annotations

import copy
import datetime as dt
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.common.scope import in_scope

from .models import ApiToken, User
from .tokens import PURPOSE_CAN, Purpose, allows, digest, new_raw_token

LAST_USED_PRECISION = dt.timedelta(minutes=1)


def do_create_token(*, actor: User, name: str, purpose: str, place) -> tuple[ApiToken, str]:
    """A new token for ``place`` (inside the actor's subtree); returns it and the raw token,
    which is not stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name that says who uses it.")})
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Choose one of the listed purposes.")})
    if place is None or not in_scope(actor, place.code):
        raise ValidationError({"place": _("Choose a place inside your own area.")})
    raw = new_raw_token()
    token = ApiToken.objects.create(
        name=name,
        purpose=purpose,
        place=place,
        created_by=actor,
        shown=raw[: ApiToken._meta.get_field("shown").max_length],
        digest=digest(raw),
    )
    return token, raw


def do_revoke_token(*, token: ApiToken) -> None:
    """Revoke ``token``: refused from now on in this process, within
    :data:`RECHECK_SECONDS` in every other."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    _KNOWN.pop(token.digest, None)


@dataclass
class _Known:
    token_id: int
    purpose: str
    maker_role: str
    maker_place_id: int | None
    actor: User
    checked_at: float  # time.monotonic() of the last look at the database


# Actors of tokens used lately, by digest, in this process. Building one through the ORM
# (the token with its place and maker) took 1.3 ms of CPU, more than the rest of a
# one-record request. A use more than RECHECK_SECONDS after the last look asks the
# database, in one indexed query, whether the token was revoked or its maker deactivated,
# moved or given another role; a client sending hundreds of requests a second so makes one
# such query a second, not one per request. Revoking a token takes effect at once in the
# process that revokes it, and within RECHECK_SECONDS in the others.
_KNOWN: dict[str, _Known] = {}
_KNOWN_MAX = 1000
RECHECK_SECONDS = 1.0


def actor_for_token(raw: str, method: str, path: str) -> User | None:
    """The account a bearer token acts as, limited to the token's place and purpose, or None
    when the token is unknown, revoked, not for this request or its maker may not act."""
    key = digest(raw)
    known = _KNOWN.get(key)
    if known is not None and time.monotonic() - known.checked_at >= RECHECK_SECONDS:
        if _still_valid(known):
            known.checked_at = time.monotonic()
        else:
            _KNOWN.pop(key, None)  # revoked, or the maker changed: look again
            known = None
    if known is None:
        known = _load_token(key)
        if known is None:
            return None
    if not allows(known.purpose, method, path):
        return None
    return copy.copy(known.actor)  # a request may set attributes on its user


def _load_token(key: str) -> _Known | None:
    token = (
        ApiToken.objects.select_related("created_by", "place")
        .filter(digest=key, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    maker = token.created_by
    if not maker.is_active or not in_scope(maker, token.place.code):
        return None
    _mark_used(token.pk, token.last_used_at)
    known = _Known(
        token.pk, token.purpose, maker.role, maker.place_id, copy.copy(maker), time.monotonic()
    )
    known.actor.place = token.place
    known.actor.token_capabilities = PURPOSE_CAN[token.purpose]
    if len(_KNOWN) >= _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN[key] = known
    return known


def _still_valid(known: _Known) -> bool:
    quote = connection.ops.quote_name
    since = connection.ops.adapt_datetimefield_value(timezone.now() - LAST_USED_PRECISION)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.last_used_at IS NULL OR t.last_used_at < %s "
            f"FROM {quote(ApiToken._meta.db_table)} t "
            f"JOIN {quote(User._meta.db_table)} u ON u.id = t.created_by_id "
            f"WHERE t.id = %s AND t.revoked_at IS NULL AND u.is_active "
            f"AND u.role = %s AND u.place_id = %s",
            [since, known.token_id, known.maker_role, known.maker_place_id],
        )
        row = cursor.fetchone()
    if row is None:
        return False
    if row[0]:
        _mark_used(known.token_id, None)
    return True


def _mark_used(token_id: int, last_used_at: dt.datetime | None) -> None:
    # "Last used" to the minute: one write a minute rather than a commit on every request
    # (an ingest client sends hundreds a second).
    now = timezone.now()
    if last_used_at is None or now - last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
