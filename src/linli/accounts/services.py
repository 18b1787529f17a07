"""Making, revoking and using API tokens."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import ValidationError
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
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def actor_for_token(raw: str, method: str, path: str) -> User | None:
    """The account a bearer token acts as, limited to the token's place and purpose, or None
    when the token is unknown, revoked, not for this request or its maker may not act."""
    token = (
        ApiToken.objects.select_related("created_by__place", "place")
        .filter(digest=digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not allows(token.purpose, method, path):
        return None
    maker = token.created_by
    if not maker.is_active or not in_scope(maker, token.place.code):
        return None
    now = timezone.now()
    # "Last used" to the minute: one write a minute rather than a commit on every request
    # (an ingest client sends hundreds a second).
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    actor = copy.copy(maker)
    actor.place = token.place
    actor.token_capabilities = PURPOSE_CAN[token.purpose]
    return actor
