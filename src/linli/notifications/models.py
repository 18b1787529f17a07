"""In-app notifications, where people and communities want them delivered, and the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.common.outbound import validate_outbound_url
from linli.common.scope import ScopedManager


class Notification(models.Model):
    """One message to one person, shown in their inbox (the in-app channel)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = ScopedManager()
    scope_path = "recipient__place__code"

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The navigation counts a person's unread ones on every page.
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")


class Preference(models.Model):
    """A person's channels besides the inbox, which is always on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("also by email"), default=True)
    muted_kinds = models.JSONField(_("kinds not sent by email"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class Robot(models.Model):
    """A community's group-robot webhook (WeCom or DingTalk); messages for that place go there."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="robots")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("webhook URL"), max_length=500, validators=[validate_outbound_url])
    kinds = models.JSONField(_("message kinds (empty: all)"), default=list, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def wants(self, kind: str) -> bool:
        return self.enabled and (not self.kinds or kind in self.kinds)


class Delivery(models.Model):
    """One message to send on one channel; kept until sent, retried with back-off (the outbox)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("gave up")

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("to"), max_length=500)
    payload = models.JSONField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
