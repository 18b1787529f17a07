"""Checkpoint rostering: posts, shifts, needs, rules, rosters, swaps and hours worked."""

from __future__ import annotations

from django.conf import settings
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


class ShiftType(models.Model):
    """A shift of a community's checkpoints (早班 08:00–16:00); the end may be past midnight."""

    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="shift_types"
    )
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=32)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"), help_text=_("Earlier than the start: ends the next day"))

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        ordering = ["community", "start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="one_shift_code_per_place")
        ]
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        start = self.start.hour * 60 + self.start.minute
        span = self.end.hour * 60 + self.end.minute - start
        return span if span > 0 else span + 24 * 60


class CoverNeed(models.Model):
    """How many people a post needs on a shift (every day, or one weekday)."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="needs")
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, related_name="needs")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 = Monday; empty = every day")
    )
    minimum = models.PositiveSmallIntegerField(_("minimum head-count"), default=1)
    preferred = models.PositiveSmallIntegerField(_("preferred head-count"), default=1)
    skill = models.CharField(_("required skill"), max_length=32, blank=True)

    objects = ScopedManager()
    scope_path = "checkpoint__place__code"

    class Meta:
        ordering = ["checkpoint", "shift_type", "weekday"]
        verbose_name = _("cover need")
        verbose_name_plural = _("cover needs")


class RosterRules(models.Model):
    """A community's rest rules; the defaults are sensible for volunteer checkpoint work."""

    community = models.OneToOneField(
        "places.Place", on_delete=models.CASCADE, related_name="roster_rules"
    )
    max_hours_day = models.PositiveSmallIntegerField(_("max hours a day"), default=12)
    max_hours_week = models.PositiveSmallIntegerField(_("max hours a week"), default=48)
    min_rest_hours = models.PositiveSmallIntegerField(
        _("min rest between two shifts (hours)"), default=11
    )
    forbidden_successions = models.JSONField(
        _("forbidden successions"),
        default=list,
        blank=True,
        help_text=_('Pairs of shift codes, e.g. [["N", "M"]]: no morning after a night'),
    )
    max_consecutive_days = models.PositiveSmallIntegerField(_("max consecutive days"), default=6)
    min_consecutive_days_off = models.PositiveSmallIntegerField(
        _("min consecutive days off"), default=1
    )
    days_off_per_fortnight = models.PositiveSmallIntegerField(
        _("days off per fortnight"), default=4
    )
    max_weekends_per_fortnight = models.PositiveSmallIntegerField(
        _("max weekends worked per fortnight"), default=1
    )
    check_in_early_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the shift)"),
        default=30,
        help_text=_("Volunteers can check in from this long before their shift until it ends"),
    )

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        verbose_name = _("roster rules")
        verbose_name_plural = _("roster rules")


class Unavailability(models.Model):
    """Days a volunteer cannot work (both ends included)."""

    volunteer = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.CASCADE, related_name="unavailable"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    objects = ScopedManager()
    scope_path = "volunteer__place__code"

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")


class ShiftWish(models.Model):
    """A volunteer's wish to work (or not) a shift on a day, with a weight 1–3."""

    volunteer = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.CASCADE, related_name="shift_wishes"
    )
    day = models.DateField(_("day"))
    shift_type = models.ForeignKey(
        ShiftType, null=True, blank=True, on_delete=models.CASCADE, help_text=_("Empty: any")
    )
    wants = models.BooleanField(_("wants to work"), default=False)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    objects = ScopedManager()
    scope_path = "volunteer__place__code"

    class Meta:
        ordering = ["day"]
        verbose_name = _("shift wish")
        verbose_name_plural = _("shift wishes")


class RosterStatus(models.TextChoices):
    BUILDING = "building", _("Building")
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    FAILED = "failed", _("Failed")


class Roster(models.Model):
    """A community's roster for a period; versions replace each other when published."""

    community = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="rosters")
    start = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"), default=14)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=RosterStatus.choices, default=RosterStatus.BUILDING
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    bound = models.IntegerField(_("lower bound"), null=True, blank=True)
    seconds = models.FloatField(_("solve seconds"), null=True, blank=True)
    terms = models.JSONField(_("objective terms"), default=dict, blank=True)
    shortfalls = models.JSONField(_("uncovered needs"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_path = "community__code"

    class Meta:
        ordering = ["-start", "-version"]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self) -> str:
        return f"roster {self.pk} v{self.version}"

    @property
    def end(self):
        import datetime as dt

        return self.start + dt.timedelta(days=self.days - 1)


class RosterShift(models.Model):
    """One volunteer at one post for one shift on one day of a roster."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    volunteer = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.PROTECT, related_name="roster_shifts"
    )
    day = models.DateField(_("day"))
    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="+")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    skill = models.CharField(_("skill needed"), max_length=32, blank=True)

    objects = ScopedManager()
    scope_path = "roster__community__code"

    class Meta:
        ordering = ["day", "shift_type__start", "checkpoint__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "volunteer", "day"], name="one_shift_a_day_per_roster"
            )
        ]
        verbose_name = _("roster shift")
        verbose_name_plural = _("roster shifts")


class SwapKind(models.TextChoices):
    GIVE = "give", _("Give away")
    SWAP = "swap", _("Swap")


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the lead")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SwapRequest(models.Model):
    """A volunteer gives a shift away to a partner, or swaps it for one of the partner's."""

    shift = models.ForeignKey(RosterShift, on_delete=models.CASCADE, related_name="swap_requests")
    kind = models.CharField(_("kind"), max_length=8, choices=SwapKind.choices)
    requester = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.CASCADE, related_name="swaps_asked"
    )
    partner = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.CASCADE, related_name="swaps_offered"
    )
    partner_shift = models.ForeignKey(
        RosterShift, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ScopedManager()
    scope_path = "shift__roster__community__code"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")


class WorkedSpan(models.Model):
    """Hours actually worked: checked in and out at the post, or confirmed by the lead."""

    volunteer = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.CASCADE, related_name="worked"
    )
    shift = models.OneToOneField(
        RosterShift, null=True, blank=True, on_delete=models.SET_NULL, related_name="worked"
    )
    checkpoint = models.ForeignKey(Checkpoint, null=True, blank=True, on_delete=models.SET_NULL)
    started_at = models.DateTimeField(_("checked in"))
    ended_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ScopedManager()
    scope_path = "volunteer__place__code"

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("worked hours")
        verbose_name_plural = _("worked hours")


class Notice(models.Model):
    """A message to a volunteer about their shifts, shown on their shifts page (kept until
    a notifications app delivers them by other channels too)."""

    volunteer = models.ForeignKey(
        "guardianship.Volunteer", on_delete=models.CASCADE, related_name="roster_notices"
    )
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_path = "volunteer__place__code"

    class Meta:
        ordering = ["-created_at", "-id"]


from auditlog.registry import auditlog  # noqa: E402

# Personal data: who works when, who is away and why, swaps and hours worked.
auditlog.register(Unavailability)
auditlog.register(ShiftWish)
auditlog.register(RosterShift)
auditlog.register(SwapRequest)
auditlog.register(WorkedSpan)
