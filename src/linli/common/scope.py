"""Scoping by place subtree: the one mechanism every read of personal data goes through.

Place codes are paths: each child's code extends its parent's (5101 → 510107 →
510107005 → 510107005002 → …). An account is bound to one place and reaches that
place's subtree, so a scope check is a prefix test on the record's place code.

A model opts in by using :class:`ScopedQuerySet` as its manager and naming the
path to its place code in ``scope_path`` (``"code"`` for places themselves,
``"place__code"`` for records hanging off a place). Views never call
``Model.objects`` directly: they call ``scoped(Model, actor)`` or
``access(Model, actor, **lookup)``, which answers 404 outside the scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from linli.accounts.models import User

M = TypeVar("M", bound=models.Model)


def scope_prefix(actor: Any) -> str | None:
    """The place-code prefix an actor reaches, or None for nobody/anonymous."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    place = getattr(actor, "place", None)
    if place is None or not actor.is_active:
        return None
    return place.code


def in_scope(actor: Any, code: str) -> bool:
    prefix = scope_prefix(actor)
    return prefix is not None and code.startswith(prefix)


class ScopedQuerySet(models.QuerySet):
    def for_actor(self, actor: User | Any) -> ScopedQuerySet:
        """Rows whose place lies in the actor's subtree; none for anonymous or unbound accounts."""
        prefix = scope_prefix(actor)
        if prefix is None:
            return self.none()
        path = self.model.scope_path  # type: ignore[attr-defined]
        return self.filter(**{f"{path}__startswith": prefix})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def scoped(model: type[M], actor: Any) -> models.QuerySet[M]:
    """All rows of ``model`` the actor may see."""
    return model.objects.for_actor(actor)  # type: ignore[attr-defined]


def access(
    model: type[M], actor: Any, /, queryset: models.QuerySet | None = None, **lookup: Any
) -> M:
    """One row inside the actor's scope, or 404 — the same answer whether it exists elsewhere or not."""
    qs = queryset if queryset is not None else model.objects.all()
    qs = qs.for_actor(actor)  # type: ignore[attr-defined]
    try:
        return qs.get(**lookup)
    except (model.DoesNotExist, model.MultipleObjectsReturned, ValueError):  # type: ignore[attr-defined]
        raise Http404 from None
