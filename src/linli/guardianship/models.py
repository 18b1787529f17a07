"""Guardianship: volunteers (the planner and contacts arrive with the guardianship issue)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESTING = "resting", _("Resting")
    QUARANTINED = "quarantined", _("Quarantined")
    SICK = "sick", _("Sick")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Volunteer(models.Model):
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="volunteers",
        help_text=_("Home compound"),
    )
    resident = models.ForeignKey(
        "register.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteering",
    )
    account = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer"
    )
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    passes = models.ManyToManyField("places.Place", blank=True, related_name="pass_holders")
    skills = models.JSONField(_("skills"), default=list, blank=True)
    vetted = models.BooleanField(_("vetted"), default=False)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=3)
    backup_capacity = models.PositiveSmallIntegerField(_("backup capacity"), default=3)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["place__code", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return f"volunteer {self.pk}"


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Volunteer, m2m_fields={"passes"})
