"""Daily screening (每日排查), quarantine, and each community's daily report (疫情日报)."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager
from linli.domain.screening.quarantine import DEFAULT_DAYS


class Method(models.TextChoices):
    DOOR = "door", _("At the door")
    PHONE = "phone", _("By phone")
    SELF = "self", _("Self-report")


class QuarantineKind(models.TextChoices):
    NONE = "none", _("Not quarantined")
    HOME = "home", _("Home quarantine")
    CENTRALISED = "centralised", _("Centralised quarantine")


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    FATIGUE = "fatigue", _("Fatigue")
    TASTE_SMELL = "taste_smell", _("Loss of taste or smell")
    SORE_THROAT = "sore_throat", _("Sore throat")
    BREATHING = "breathing", _("Short of breath")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")


class ScreeningNeed(models.TextChoices):
    MEDICINE = "medicine", _("Medicine")
    FOOD = "food", _("Food")
    HELP = "help", _("Help")


class Screening(models.Model):
    """A check of a household (or one person) on a day. ``client_id`` is made by the phone
    or the sending system, so a record sent twice is stored once."""

    client_id = models.CharField(max_length=64)  # unique: see Meta
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("recorded at"))
    # The household's place, and its community's code copied for the report's counts.
    # No database constraint on ``place`` and ``checked_by``: every row of a batch points
    # at the same place and the same account, and PostgreSQL's check locks that one row
    # in each inserting transaction; concurrent batches then share the lock (multixacts),
    # which cost a third of the database's time per record and halved the one-record
    # request rate. The ingest takes the place from the household it has just read in the
    # sender's scope, and the account is the one signed in; Django still applies
    # PROTECT and SET_NULL when a place or an account is deleted.
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    community_code = models.CharField(max_length=12)
    household = models.ForeignKey(
        "register.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # (household, day) below serves it
    )
    resident = models.ForeignKey(
        "register.Resident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the partial index below: most checks are of a whole household
    )
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    temperature = models.DecimalField(
        _("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    fever = models.BooleanField(_("fever"), default=False)
    travel_from = models.CharField(_("travelled from (last 14 days)"), max_length=100, blank=True)
    from_risk_area = models.BooleanField(_("from a risk area"), default=False)
    case_contact = models.BooleanField(_("contact with a case"), default=False)
    quarantine = models.CharField(
        _("quarantine"), max_length=12, choices=QuarantineKind.choices, default="none"
    )
    needs = models.JSONField(_("needs"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    all_normal = models.BooleanField(_("all normal"), default=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # see ``place``
    )

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-day", "-at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        # Each index is written on every insert (the batch API's hundreds of thousands of
        # rows a day): no more than the reads need. The client id is unique through a
        # constraint, which unlike ``unique=True`` adds no second (LIKE) index on PostgreSQL.
        # With the day: on PostgreSQL the table is partitioned by day (migration 0003,
        # linli.screening.partitions), and a unique key of a partitioned table must hold
        # the partition key (the primary key is (id, day) there; the model's pk stays id).
        constraints = [
            models.UniqueConstraint(
                fields=["client_id", "day"], name="screening_client_id_day_unique"
            )
        ]
        indexes = [
            models.Index(fields=["community_code", "day"], name="screening_community_day"),
            models.Index(fields=["household", "day"], name="screening_household_day"),
            models.Index(
                fields=["resident"],
                name="screening_resident",
                condition=models.Q(resident__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.pk}"


class Quarantine(models.Model):
    """A resident's home or centralised quarantine, from start to release. While a home
    quarantine lasts the resident has an open home-quarantined vulnerability (and a ward), so
    guardianship plans someone to bring supplies in."""

    resident = models.ForeignKey(
        "register.Resident", on_delete=models.PROTECT, related_name="quarantines"
    )
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=[c for c in QuarantineKind.choices if c[0] != QuarantineKind.NONE],
    )
    facility = models.CharField(_("facility"), max_length=100, blank=True)
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    daily_check = models.BooleanField(_("checked every day"), default=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    vulnerability = models.ForeignKey(
        "register.Vulnerability", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_ward = models.BooleanField(default=False)  # the ward was opened for this quarantine
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["planned_end", "id"]
        verbose_name = _("quarantine")
        verbose_name_plural = _("quarantines")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(released_on__isnull=True),
                name="quarantine_one_open_per_resident",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("start")),
                name="quarantine_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"quarantine {self.pk}"


class CommunitySettings(models.Model):
    """A community's own screening settings (quarantine length)."""

    place = models.OneToOneField("places.Place", on_delete=models.CASCADE, related_name="+")
    quarantine_days = models.PositiveSmallIntegerField(_("quarantine days"), default=DEFAULT_DAYS)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        verbose_name = _("screening settings")
        verbose_name_plural = _("screening settings")


class DailyReport(models.Model):
    """A community's report for a day: figures computed from the records, notes, then
    submitted and locked. Street, district and city figures are sums of submitted reports."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    zero_report = models.BooleanField(_("zero report"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    screened = models.PositiveIntegerField(_("screened"), default=0)
    fever = models.PositiveIntegerField(_("fever"), default=0)
    from_risk_areas = models.PositiveIntegerField(_("arrivals from risk areas"), default=0)
    quarantined_home = models.PositiveIntegerField(_("in home quarantine"), default=0)
    quarantined_centralised = models.PositiveIntegerField(_("in centralised quarantine"), default=0)
    released = models.PositiveIntegerField(_("released"), default=0)
    vulnerable_contacted = models.PositiveIntegerField(_("vulnerable people contacted"), default=0)
    vulnerable_overdue = models.PositiveIntegerField(_("vulnerable contacts overdue"), default=0)
    stock_days_left = models.FloatField(_("fewest days of stock left"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-day", "place__code"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        constraints = [
            models.UniqueConstraint(fields=["place", "day"], name="daily_report_once_a_day")
        ]
        indexes = [models.Index(fields=["day", "status"], name="daily_report_day_status")]

    def __str__(self) -> str:
        return f"daily report {self.place_id} {self.day}"


class ReportReminder(models.Model):
    """A reminder sent for a place's missing reports of a day: claimed by inserting this row,
    so two workers never send the same reminder."""

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "day"], name="report_reminder_once")
        ]


auditlog.register(Quarantine)
auditlog.register(DailyReport, exclude_fields=["submitted_at"])
auditlog.register(CommunitySettings)
