"""The register (人员台账): households, residents, vulnerability categories and wards.

Every row hangs off a place (``place``: the building, or the compound/community
when the address is coarser) and is scoped by that place's code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager
from linli.domain import idcard


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Household(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="households")
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    room = models.CharField(_("room"), max_length=16, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address or self.code


class Resident(models.Model):
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    relation = models.CharField(_("relation to head"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    moved_in = models.DateField(_("moved in"), null=True, blank=True)
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["place__code", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return f"resident {self.pk}"  # never a name: this string reaches logs

    @property
    def id_masked(self) -> str:
        return idcard.mask(self.id_number) if self.id_number else ""

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_number)


class Category(models.TextChoices):
    DISABLED_NO_CARER = "disabled_no_carer", _("Disabled without carer")
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    DE_FACTO_ORPHAN = "de_facto_orphan", _("De-facto orphan")
    SUBSISTENCE = "subsistence", _("Subsistence allowance / extreme poverty")
    CHRONIC_MEDICINE = "chronic_medicine", _("Chronic illness needing regular medicine")
    PREGNANT = "pregnant", _("Pregnant")
    HOME_QUARANTINE = "home_quarantine", _("Home-quarantined")


class Source(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    DISABLED_FEDERATION = "disabled_federation", _("Disabled persons' federation")
    HEALTH = "health", _("Health commission")
    STREET_OFFICE = "street_office", _("Street office")
    COMMUNITY = "community", _("Community")


class Vulnerability(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="vulnerabilities")
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices, blank=True)
    disability_type = models.CharField(_("disability type"), max_length=16, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )

    objects = ScopedManager()
    scope_path = "resident__place__code"

    class Meta:
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Ward(models.Model):
    """A vulnerable person under guardianship: risk level and needs."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="ward")
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    needs = models.JSONField(_("needs"), default=list, blank=True)

    objects = ScopedManager()
    scope_path = "resident__place__code"

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Household)
auditlog.register(Resident, mask_fields=["id_number"])
auditlog.register(Vulnerability)
auditlog.register(Ward)
