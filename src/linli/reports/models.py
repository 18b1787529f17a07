"""Department reports: uploaded form templates and the log of every generation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class FormDefinition(models.Model):
    """A form template uploaded by an administrator, for the places under ``place``."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="forms")
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("template (YAML)"))
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("form template")
        verbose_name_plural = _("form templates")

    def __str__(self) -> str:
        return f"form {self.pk}"

    @property
    def key(self) -> str:
        return f"upload-{self.pk}"


class Generation(models.Model):
    """One form generated: who, what, for which place and day, rows and checksum."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    form_key = models.CharField(_("form"), max_length=100)
    form_name = models.CharField(_("form name"), max_length=200)
    day = models.DateField(_("report date"))
    format = models.CharField(_("format"), max_length=8)
    rows = models.PositiveIntegerField(_("rows"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    full_id = models.BooleanField(_("full ID numbers"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    via = models.CharField(_("via"), max_length=16, default="web")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("report generation")
        verbose_name_plural = _("report generations")

    def __str__(self) -> str:
        return f"generation {self.pk}"


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(FormDefinition)


class Schedule(models.Model):
    """A form generated every day at a time and delivered: the inbox (and email) of the
    place's report readers and the place's group robots, with a link to the file."""

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(_("form"), max_length=100)
    form_name = models.CharField(_("form name"), max_length=200)
    at = models.TimeField(_("every day at"))
    format = models.CharField(_("format"), max_length=8, default="xlsx")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    last_day = models.DateField(_("last delivered for"), null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")

    def __str__(self) -> str:
        return f"schedule {self.pk}"
