"""The register (人员台账): households, residents, vulnerability categories and wards.

Every row hangs off a place (``place``: the building, or the compound/community
when the address is coarser) and is scoped by that place's code.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager, ScopedQuerySet
from linli.domain.contacts import DEFAULT_WINDOWS_HOURS
from linli.domain.disclosure import mask_id_number


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class ResidentQuerySet(ScopedQuerySet):
    def current(self) -> ResidentQuerySet:
        """Residents not merged into another one: the people lists show."""
        return self.filter(merged_into__isnull=True)


ResidentManager = models.Manager.from_queryset(ResidentQuerySet)


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
    # Full pinyin and initials of the name (linli.domain.pinyin.search_key), for search.
    name_pinyin = models.CharField(_("name in pinyin"), max_length=128, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, db_index=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    phone2 = models.CharField(_("second phone"), max_length=32, blank=True)
    address = models.CharField(_("address as given"), max_length=200, blank=True)
    moved_in = models.DateField(_("moved in"), null=True, blank=True)
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # A resident found to be the same person as another (record linkage) is kept, with
    # its sources and history, but hidden from lists: see ResidentQuerySet.current().
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    # Set when retention emptied the identifying fields (linli.register.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = ResidentManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["place__code", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return f"resident {self.pk}"  # never a name: this string reaches logs

    @property
    def id_masked(self) -> str:
        """The ID number as every page shows it (linli.common.disclosure)."""
        return mask_id_number(self.id_number) if self.id_number else ""

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


class DisabilityType(models.TextChoices):
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    SPEECH = "speech", _("Speech")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    MULTIPLE = "multiple", _("Multiple")


class Vulnerability(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="vulnerabilities")
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices, blank=True)
    disability_type = models.CharField(
        _("disability type"), max_length=16, choices=DisabilityType.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )

    objects = ScopedManager()
    scope_path = "resident__place__code"

    class Meta:
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True)
                | models.Q(disability_grade__gte=1, disability_grade__lte=4),
                name="vulnerability_disability_grade_1_4",
            )
        ]


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Need(models.TextChoices):
    MEALS = "meals", _("Meals")
    MEDICINE = "medicine", _("Medicine")
    MOBILITY_HELP = "mobility_help", _("Mobility help")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    CHILD_CARE = "child_care", _("Child care")
    DAILY_SUPPLIES = "daily_supplies", _("Daily supplies")
    PSYCHOLOGICAL = "psychological", _("Psychological support")


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

    def needs_display(self) -> list[str]:
        """The needs in the reader's language (stored as codes)."""
        labels = dict(Need.choices)
        return [str(labels.get(code, code)) for code in self.needs]


class ContactWindows(models.Model):
    """A community's contact windows per risk level, in hours.

    Communities without a row use :data:`linli.domain.contacts.DEFAULT_WINDOWS_HOURS`.
    """

    place = models.OneToOneField(
        "places.Place", on_delete=models.CASCADE, related_name="contact_windows"
    )
    high_hours = models.PositiveSmallIntegerField(
        _("high risk (hours)"), default=DEFAULT_WINDOWS_HOURS["high"]
    )
    medium_hours = models.PositiveSmallIntegerField(
        _("medium risk (hours)"), default=DEFAULT_WINDOWS_HOURS["medium"]
    )
    low_hours = models.PositiveSmallIntegerField(
        _("low risk (hours)"), default=DEFAULT_WINDOWS_HOURS["low"]
    )

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        verbose_name = _("contact windows")
        verbose_name_plural = _("contact windows")

    def hours(self) -> dict[str, int]:
        return {"high": self.high_hours, "medium": self.medium_hours, "low": self.low_hours}


class SourceRecord(models.Model):
    """One registration line as a department's list gave it, linked to a resident.

    ``source`` names the list (a department or a file's label); ``key`` identifies the
    line within that source across re-imports (the ID number, or a fingerprint of the
    name, birth date and phone when there is none); ``digest`` is a hash of the cleaned
    values, so a re-import can tell unchanged lines from updated ones.
    """

    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="source_records"
    )
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="source_records")
    source = models.CharField(_("source"), max_length=64)
    key = models.CharField(max_length=64)
    fields = models.JSONField(_("fields as given"), default=dict)
    digest = models.CharField(max_length=64)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    objects = ScopedManager()
    scope_path = "resident__place__code"

    class Meta:
        ordering = ["source", "row_number", "id"]
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "source", "key"], name="source_record_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"source record {self.pk}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Checked, waiting for acceptance")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """An uploaded register file: its check report, and the import once accepted."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="imports")
    source = models.CharField(_("source"), max_length=64)
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    report = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return f"import {self.pk}"


class VocabularyField(models.TextChoices):
    CATEGORY = "category", _("Vulnerability category")
    NEEDS = "needs", _("Need")
    DISABILITY_TYPE = "disability_type", _("Disability type")
    RELATION = "relation", _("Relation to the head of household")
    YES_NO = "yes_no", _("Yes / no")


class VocabularyWord(models.Model):
    """A word this deployment's registers use, added by an administrator to the built-in
    vocabulary (:mod:`linli.domain.vocabulary`); ``key`` is the word once normalised."""

    field = models.CharField(_("field"), max_length=24, choices=VocabularyField.choices)
    word = models.CharField(_("word"), max_length=64)
    key = models.CharField(max_length=64)
    code = models.CharField(_("means"), max_length=32)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field", "key"]
        verbose_name = _("vocabulary word")
        verbose_name_plural = _("vocabulary words")
        constraints = [
            models.UniqueConstraint(fields=["field", "key"], name="vocabulary_word_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.word} → {self.code}"


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Household)
auditlog.register(Resident, mask_fields=["id_number", "phone", "phone2"])
auditlog.register(Vulnerability)
auditlog.register(Ward)
auditlog.register(SourceRecord, mask_fields=["fields"])
auditlog.register(ContactWindows)
auditlog.register(VocabularyWord)
