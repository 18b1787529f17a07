"""SMS and voice to residents: their choices, the outbox, callbacks, check-ins, roll-calls, family."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager
from linli.domain.reach.rules import DEFAULT_CHECKIN_TIMES, DEFAULT_QUIET_HOURS


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    VOICE = "voice", _("Voice call")


class Language(models.TextChoices):
    MANDARIN = "mandarin", _("Mandarin")
    SICHUANESE = "sichuanese", _("Sichuanese wording")


class CommunityReach(models.Model):
    """A community's rules for calling and texting its residents."""

    place = models.OneToOneField("places.Place", on_delete=models.CASCADE, related_name="reach")
    quiet_hours = models.JSONField(_("quiet hours"), default=list)
    checkin_times = models.JSONField(_("check-in times"), default=list)
    person_daily_limit = models.PositiveSmallIntegerField(
        _("messages per person per day"), default=8
    )
    per_minute_limit = models.PositiveIntegerField(_("messages per minute"), default=600)
    daily_cap_fen = models.PositiveIntegerField(_("spend cap per day (fen)"), default=50_000)

    objects = ScopedManager()
    scope_path = "place__code"

    def quiet(self) -> list:
        return self.quiet_hours or [list(w) for w in DEFAULT_QUIET_HOURS]

    def times(self) -> list[str]:
        return self.checkin_times or list(DEFAULT_CHECKIN_TIMES)


class Profile(models.Model):
    """A resident's own choices: channel, check-in times, language, opt-out."""

    resident = models.OneToOneField(
        "register.Resident", on_delete=models.CASCADE, related_name="reach"
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices, default="voice")
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.MANDARIN
    )
    checkin = models.BooleanField(_("daily safety check-in"), default=False)
    checkin_times = models.JSONField(_("check-in times (empty: the community's)"), default=list)
    opted_out = models.BooleanField(_("opted out of automatic calls and texts"), default=False)

    objects = ScopedManager()
    scope_path = "resident__place__code"


class Message(models.Model):
    """One SMS or call to send (the outbox): claimed with a conditional update, retried with
    back-off on timeouts and 5xx, sent at most once per ``key``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        UNDELIVERED = "undelivered", _("not delivered")
        FAILED = "failed", _("gave up")
        HELD = "held", _("held (opt-out, cap or limit)")

    key = models.CharField(max_length=80, unique=True)
    community = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey("register.Resident", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=12)
    params = models.JSONField(default=dict)
    language = models.CharField(max_length=10, default=Language.MANDARIN)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(max_length=20, blank=True)
    provider_ref = models.CharField(max_length=80, blank=True, db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    cost_fen = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    checkin = models.ForeignKey(
        "CheckIn", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    entry = models.ForeignKey(
        "RollCallEntry", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["to", "sent_at"]),
            # the per-person and per-community limits count what was sent lately
            models.Index(fields=["resident", "sent_at"]),
            models.Index(fields=["community", "sent_at"]),
        ]


class DailyCost(models.Model):
    """What a community spent on messages on one day (its own time zone)."""

    community = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)
    cost_fen = models.PositiveIntegerField(default=0)
    cap_alerted = models.BooleanField(default=False)

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "day"], name="one_cost_row")]


class Callback(models.Model):
    """Every callback event received, once (``key``), with what became of it."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("applied")
        UNKNOWN = "unknown", _("for no message Linli sent")
        NOT_AN_ANSWER = "not_answer", _("not an answer (only 1 or 2)")

    key = models.CharField(max_length=120, unique=True)
    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=10)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    detail = models.CharField(max_length=200, blank=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)


class Answer(models.TextChoices):
    SAFE = "safe", _("Safe")
    HELP = "help", _("Needs help")


class CheckIn(models.Model):
    """One daily safety check-in (平安报) of a ward at one set time."""

    class Status(models.TextChoices):
        OPEN = "open", _("calling")
        SAFE = "safe", _("safe")
        HELP = "help", _("needs help")
        MISSED = "missed", _("no answer")

    ward = models.ForeignKey("register.Ward", on_delete=models.CASCADE, related_name="checkins")
    slot = models.DateTimeField(_("time"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    tries = models.PositiveSmallIntegerField(default=0)
    last_try_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated = models.CharField(max_length=10, blank=True)  # primary / backup / secretary
    door_visit = models.BooleanField(_("door visit needed"), default=False)
    contact = models.ForeignKey(
        "guardianship.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_path = "ward__resident__place__code"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ward", "slot"], name="one_checkin_per_slot")
        ]
        ordering = ["-slot"]


class Warning(models.Model):
    """An incoming warning message (GB/T 35965): what it named and what Linli did with it."""

    identifier = models.CharField(max_length=100, unique=True)
    sender = models.CharField(max_length=100, blank=True)
    event = models.CharField(max_length=100, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    codes = models.JSONField(default=list)
    unknown_codes = models.JSONField(default=list)
    refused_codes = models.JSONField(default=list)  # outside the token's place


class RollCall(models.Model):
    """全员点名: every ward in a place confirmed safe by a deadline, by any channel."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="rollcalls")
    reason = models.CharField(_("reason"), max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    warning = models.ForeignKey(Warning, null=True, blank=True, on_delete=models.SET_NULL)
    tasks_raised = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-started_at"]


class RollCallEntry(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("no answer yet")
        SAFE = "safe", _("safe")
        HELP = "help", _("needs help")
        UNREACHABLE = "unreachable", _("unreachable")

    rollcall = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="entries")
    ward = models.ForeignKey("register.Ward", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=24)  # the ward's place code, for roll-ups by prefix
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    via = models.CharField(max_length=20, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey(
        "taskforce.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()
    scope_path = "code"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rollcall", "ward"], name="one_entry_per_ward")
        ]
        indexes = [models.Index(fields=["rollcall", "code"])]


class Kin(models.Model):
    """Next of kin / emergency contact of a resident."""

    resident = models.ForeignKey("register.Resident", on_delete=models.CASCADE, related_name="kin")
    name = models.CharField(_("name"), max_length=64)
    relationship = models.CharField(_("relationship"), max_length=32)
    phone = models.CharField(_("phone"), max_length=20)
    in_city = models.BooleanField(_("lives in the city"), default=True)
    may_act = models.BooleanField(_("may act on the ward's behalf"), default=False)

    objects = ScopedManager()
    scope_path = "resident__place__code"


class KinLink(models.Model):
    """A one-time link a family member confirms the ward's safety with (only a digest kept)."""

    kin = models.ForeignKey(Kin, on_delete=models.CASCADE, related_name="links")
    entry = models.ForeignKey(RollCallEntry, null=True, blank=True, on_delete=models.CASCADE)
    checkin = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Profile)
auditlog.register(CommunityReach)
auditlog.register(RollCall)
auditlog.register(Kin, mask_fields=["phone"])
