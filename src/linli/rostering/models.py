"""Checkpoint rostering: posts (the roster solver arrives with the rostering issue)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class Checkpoint(models.Model):
    """A post (卡口) at a compound gate or village entrance."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="checkpoints")
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["code"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
