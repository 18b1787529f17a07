"""Guardianship (临时监护机制): volunteers, who guards whom, gaps, contacts and escalations."""

from __future__ import annotations

from django.conf import settings
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


class StatusChange(models.Model):
    """The history of a volunteer's status."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="status_history"
    )
    status = models.CharField(_("status"), max_length=12, choices=VolunteerStatus.choices)
    previous = models.CharField(
        _("previous status"), max_length=12, choices=VolunteerStatus.choices
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_path = "volunteer__place__code"

    class Meta:
        ordering = ["-at", "-id"]


class Role(models.TextChoices):
    PRIMARY = "primary", _("Primary guardian")
    BACKUP = "backup", _("Backup guardian")


class Assignment(models.Model):
    """A ward's primary or backup guardian in the plan in force."""

    ward = models.ForeignKey("register.Ward", on_delete=models.CASCADE, related_name="guardians")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="assignments")
    pinned = models.BooleanField(_("pinned by hand"), default=False)
    since = models.DateTimeField(_("since"), auto_now_add=True)

    objects = ScopedManager()
    scope_path = "ward__resident__place__code"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "role"], name="one_guardian_per_role")
        ]
        verbose_name = _("guardian assignment")
        verbose_name_plural = _("guardian assignments")


class Gap(models.Model):
    """A role the current plan could not fill, with a reason a secretary can act on."""

    community = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="coverage_gaps"
    )
    ward = models.ForeignKey("register.Ward", on_delete=models.CASCADE, related_name="gaps")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    reason = models.CharField(_("reason"), max_length=300)
    since = models.DateTimeField(_("since"), auto_now_add=True)

    objects = ScopedManager()
    scope_path = "ward__resident__place__code"

    class Meta:
        ordering = ["ward_id", "role"]


class Trigger(models.TextChoices):
    """Why a community was re-planned (:func:`linli.guardianship.replan.do_replan_community`).

    The label ends the coverage page's “last re-planned … because …”; ``%(about)s`` is the
    snapshot's ``about`` (a compound's name, a volunteer's new status, a file's name)."""

    SEALED = "sealed", _("compound %(about)s was sealed")
    UNSEALED = "unsealed", _("compound %(about)s was unsealed")
    PLACES_MERGED = "places_merged", _("compounds %(about)s were merged")
    VOLUNTEER_STATUS = "volunteer_status", _("a volunteer's status became “%(about)s”")
    PINNED = "pinned", _("a guardian was pinned by hand")
    UNPINNED = "unpinned", _("a pinned guardian was released")
    QUARANTINE_STARTED = "quarantine_started", _("a resident began home quarantine")
    QUARANTINE_ENDED = "quarantine_ended", _("a home quarantine ended")
    WARDS_IMPORTED = "wards_imported", _("the register file %(about)s was imported")
    BY_HAND = "by_hand", _("a new plan was asked for by hand")
    PLAN_JOB = "plan_job", _("a planning job ran")
    COMMAND = "command", _("linli match was run")
    DEMO = "demo", _("the demo was set up")


class CoverageSnapshot(models.Model):
    """Coverage of a community after each plan: the history the coverage page charts, and
    when and why it was last re-planned."""

    community = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="coverage_history"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    wards = models.PositiveIntegerField(default=0)
    primary_filled = models.PositiveIntegerField(default=0)
    backup_filled = models.PositiveIntegerField(default=0)
    both_filled = models.PositiveIntegerField(default=0)
    cost = models.FloatField(default=0)
    changed_roles = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=100, blank=True)  # a Trigger; older rows: free words
    about = models.CharField(max_length=200, blank=True)
    millis = models.FloatField(default=0)

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = "at"

    @property
    def percent(self) -> float:
        return 100.0 * self.both_filled / self.wards if self.wards else 100.0

    @property
    def reason(self) -> str:
        """Why this plan was made, in the reader's language (older rows keep their words)."""
        if self.trigger not in Trigger.values:
            return self.trigger
        about = self.about
        if self.trigger == Trigger.VOLUNTEER_STATUS and about in VolunteerStatus.values:
            about = str(VolunteerStatus(about).label)
        return str(Trigger(self.trigger).label) % {"about": about}


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")


class Contact(models.Model):
    """A guardian reached a ward: how, what was provided, concerns."""

    ward = models.ForeignKey("register.Ward", on_delete=models.CASCADE, related_name="contacts")
    volunteer = models.ForeignKey(
        Volunteer, null=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("at"))
    method = models.CharField(_("method"), max_length=8, choices=ContactMethod.choices)
    provided = models.CharField(_("what was provided"), max_length=300, blank=True)
    concerns = models.TextField(_("concerns"), blank=True)
    photo = models.FileField(_("photo"), upload_to="contacts/%Y/%m/", null=True, blank=True)
    client_id = models.CharField(
        max_length=64, blank=True, help_text="idempotency key from the phone"
    )

    objects = ScopedManager()
    scope_path = "ward__resident__place__code"

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "client_id"],
                condition=~models.Q(client_id=""),
                name="contact_once_per_client_id",
            )
        ]


class Escalation(models.Model):
    """A missed contact window: first to the backup, then to the community secretary."""

    class Level(models.TextChoices):
        BACKUP = "backup", _("Backup guardian")
        SECRETARY = "secretary", _("Community secretary")

    ward = models.ForeignKey("register.Ward", on_delete=models.CASCADE, related_name="escalations")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    opened_at = models.DateTimeField(_("opened"))
    due_since = models.DateTimeField(_("contact due since"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL)

    objects = ScopedManager()
    scope_path = "ward__resident__place__code"

    class Meta:
        ordering = ["-opened_at"]


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Volunteer, m2m_fields={"passes"})
auditlog.register(Assignment)
auditlog.register(Contact)
