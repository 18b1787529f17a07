from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager, ScopedQuerySet

from .roles import ROLE_LEVEL, Role, role_can
from .tokens import SHOWN_CHARS, Purpose


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
        if not (self.is_active and role_can(self.role, capability)):
            return False
        # Acting through an API token: only what the token's purpose carries.
        limited = getattr(self, "token_capabilities", None)
        return limited is None or capability in limited

    @property
    def expected_level(self) -> str:
        return ROLE_LEVEL[Role(self.role)]


class ApiToken(models.Model):
    """A bearer token for the API, bound to a place subtree and one purpose. Only a digest
    is stored; the raw token is shown once when it is made."""

    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    shown = models.CharField(_("token starts with"), max_length=SHOWN_CHARS)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown}…)"


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(User, include_fields=["role", "place", "is_active", "is_staff", "username"])
auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
