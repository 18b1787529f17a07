"""Service requests (在线联合服务): professionals and their teams, requests (the cases), case
notes, escalations, triage rules and limits per community, frontline wellbeing check-ins.

Case notes are the most sensitive data in Linli: they are read only through
``linli.services.selectors`` (which audits every read) and their text never reaches the
audit log or the back office.
"""

from __future__ import annotations

import secrets

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class Category(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    MEDICAL = "medical", _("Medical advice")
    MEDICINE = "medicine", _("Medicine")
    DAILY = "daily", _("Daily supplies")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_CONTACT = "in_contact", _("In contact")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class Contact(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    MESSAGE = "message", _("Text message")
    VISIT = "visit", _("Home visit")


class Channel(models.TextChoices):
    LINK = "link", _("Request link")
    ON_BEHALF = "on_behalf", _("On the person's behalf")
    SELF = "self", _("Frontline worker, signed in")
    API = "api", _("API")


class Kind(models.TextChoices):
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    SOCIAL_WORKER = "social_worker", _("Social worker")


class Professional(models.Model):
    """A remote professional volunteer: what they are, what they speak, when they are
    available (e.g. "1-5 09:00-17:00; 6 10:00-12:00") and how many open cases they take."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="professional"
    )
    kind = models.CharField(_("profession"), max_length=16, choices=Kind.choices)
    qualifications = models.CharField(_("qualifications"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    hours = models.CharField(_("available hours"), max_length=200, blank=True)
    load_limit = models.PositiveSmallIntegerField(_("open cases at most"), default=5)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()
    scope_path = "user__place__code"

    class Meta:
        ordering = ["id"]
        verbose_name = _("professional volunteer")
        verbose_name_plural = _("professional volunteers")

    def __str__(self) -> str:
        return f"professional {self.pk}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from linli.domain.services.routing import parse_windows

        try:
            parse_windows(self.hours)
        except ValueError as error:
            raise ValidationError({"hours": str(error)}) from None


class Team(models.Model):
    """A service team (e.g. a social-work organisation's online group) bound to communities.
    ``place`` is where it is managed from; the lead (and deputy) supervise its cases."""

    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    communities = models.ManyToManyField(
        "places.Place", related_name="service_teams", verbose_name=_("communities served")
    )
    members = models.ManyToManyField(Professional, related_name="teams", blank=True)
    lead = models.ForeignKey(
        Professional, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deputy = models.ForeignKey(
        Professional, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["id"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name


class TriageRule(models.Model):
    """A community's own triage rule, added to the default set (linli.domain.services.triage)."""

    class RuleKind(models.TextChoices):
        KEYWORD = "keyword", _("Word in the description")
        FLAG = "flag", _("Risk flag of the person")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=RuleKind.choices)
    match = models.CharField(_("matches"), max_length=60)
    raise_to = models.CharField(_("raise to"), max_length=8, choices=Urgency.choices)
    reason = models.CharField(_("reason"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["place__code", "id"]
        verbose_name = _("triage rule")
        verbose_name_plural = _("triage rules")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from linli.domain.services.triage import Rule

        try:
            Rule(self.kind, self.match, self.raise_to, self.reason)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class ServiceLimits(models.Model):
    """A community's first-response and resolution limits, in minutes, per urgency."""

    place = models.OneToOneField("places.Place", on_delete=models.CASCADE, related_name="+")
    critical_response = models.PositiveIntegerField(_("critical: first response"), default=15)
    urgent_response = models.PositiveIntegerField(_("urgent: first response"), default=120)
    normal_response = models.PositiveIntegerField(_("normal: first response"), default=1440)
    critical_resolution = models.PositiveIntegerField(_("critical: resolution"), default=1440)
    urgent_resolution = models.PositiveIntegerField(_("urgent: resolution"), default=4320)
    normal_resolution = models.PositiveIntegerField(_("normal: resolution"), default=10080)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        verbose_name = _("service limits")
        verbose_name_plural = _("service limits")


# A request's reference: 10 random characters, no 0/O, 1/I/L, shown as "K7QM2-3XPAB". A
# number counted up would tell anyone with two links how many people asked for help.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    letters = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


class ServiceRequest(models.Model):
    """A request for help and the case it becomes."""

    reference = models.CharField(
        _("reference"), max_length=11, unique=True, default=new_reference, editable=False
    )

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "register.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    contact_name = models.CharField(_("name given"), max_length=64, blank=True)
    contact_phone = models.CharField(_("phone given"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"))
    urgency_asked = models.CharField(_("urgency asked"), max_length=8, choices=Urgency.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    triage_reasons = models.JSONField(default=list, blank=True)  # [[reason, matched], …]
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=8, choices=Contact.choices, default=Contact.PHONE
    )
    preferred_times = models.CharField(_("preferred times"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    guardian_consent = models.BooleanField(_("my guardian may see shared notes"), default=False)
    psych_consent = models.BooleanField(
        _("my guardian may also see psychological details"), default=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_key = models.CharField(max_length=16, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="new")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    professional = models.ForeignKey(
        Professional, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    queue_reason = models.CharField(_("waiting because"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("asked at"), db_index=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="services_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"service request {self.pk}"  # never a name: this string reaches logs

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def community_code(self) -> str:
        return self.place.code[:12]


class CaseNote(models.Model):
    """A professional's note. ``shareable``: the person's guardian may read it (if the person
    agreed); ``psychological``: it holds psychological details, which the guardian reads only
    with the person's further consent."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    shareable = models.BooleanField(_("the guardian may see this"), default=False)
    psychological = models.BooleanField(_("psychological details"), default=True)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"case note {self.pk}"


class CaseEscalation(models.Model):
    """A limit passed: the team lead, then the community secretary, is told. One row per
    case, kind and level, so two workers never open (or send) the same escalation."""

    class EscalationKind(models.TextChoices):
        RESPONSE = "response", _("First response")
        RESOLUTION = "resolution", _("Resolution")

    class Level(models.TextChoices):
        LEAD = "lead", _("Team lead")
        SECRETARY = "secretary", _("Community secretary")

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="escalations"
    )
    kind = models.CharField(max_length=10, choices=EscalationKind.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    reason = models.CharField(max_length=10)
    due_at = models.DateTimeField()
    opened_at = models.DateTimeField()

    objects = ScopedManager()
    scope_path = "request__place__code"

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "level"], name="services_escalate_once"
            )
        ]


class WellbeingCheckIn(models.Model):
    """A frontline worker's check-in: the scale totals (seen by the person only), hours worked
    in the 7 days before, and whether their lead was told that rest is needed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_checkins"
    )
    at = models.DateTimeField()
    phq2 = models.PositiveSmallIntegerField()
    gad2 = models.PositiveSmallIntegerField()
    hours_7d = models.FloatField()
    rest_needed = models.BooleanField(default=False)
    support_offered = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]


# Audit every change, but the words of the person and of the professional stay out of the log
# (the back office shows log entries; psychological details are for the case's people only).
auditlog.register(
    ServiceRequest,
    exclude_fields=["description", "contact_name", "contact_phone", "outcome", "triage_reasons"],
)
auditlog.register(CaseNote, exclude_fields=["text"])
auditlog.register(CaseEscalation)
auditlog.register(Professional)
auditlog.register(Team, m2m_fields={"communities", "members"})
auditlog.register(TriageRule)
auditlog.register(ServiceLimits)
auditlog.register(WellbeingCheckIn, include_fields=["rest_needed", "support_offered"])
