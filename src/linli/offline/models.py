from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientWrite(models.Model):
    """A write a phone sent from its outbox, kept so that a replay of the same client id
    (the connection dropped before the answer arrived) is answered without doing it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.CharField(_("client id"), max_length=64)
    path = models.CharField(_("path"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="offline_one_write_per_id")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.client_id}"
