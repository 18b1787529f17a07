from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedQuerySet

from .roles import ROLE_LEVEL, Role, role_can


class UserManager(DjangoUserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. Bound to one place: everything they reach lies below it."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="accounts", verbose_name=_("place")
    )

    objects = UserManager()
    scope_path = "place__code"
    REQUIRED_FIELDS = ["email", "role", "place"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def can(self, capability: str) -> bool:
        return self.is_active and role_can(self.role, capability)

    @property
    def expected_level(self) -> str:
        return ROLE_LEVEL[Role(self.role)]


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(User, include_fields=["role", "place", "is_active", "is_staff", "username"])
