"""Supplies: items, stock locations, the ledger (append-only) and the balance derived from it."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class Item(models.Model):
    """A kind of supply (口罩, 消毒液); the catalogue is shared by all places."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20)
    low_days = models.PositiveIntegerField(_("low when fewer days of supply than"), default=3)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.name


class StockLocation(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Community warehouse")
        CHECKPOINT = "checkpoint", _("Checkpoint")
        TASKFORCE = "taskforce", _("Task-force group")

    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="stock_locations"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    checkpoint = models.ForeignKey(
        "rostering.Checkpoint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For fair allocation of scarce stock (linli.domain.supplies.allocation): how many people
    # the location serves, and the minimum a critical post gets of any request when stock is short.
    weight = models.PositiveIntegerField(_("weight (people served)"), default=1)
    minimum = models.PositiveIntegerField(_("minimum when stock is short"), default=0)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["place__code", "name"]
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")

    def __str__(self) -> str:
        return self.name


class Balance(models.Model):
    """What is on hand of one item at one location: the ledger's sum, kept in the same
    transaction as each entry and locked (SELECT … FOR UPDATE) while one is written."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="balances")
    quantity = models.IntegerField(_("on hand"), default=0)
    low_alerted_on = models.DateField(null=True, blank=True)  # claimed by the low-stock job

    objects = ScopedManager()
    scope_path = "location__place__code"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="supplies_one_balance"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="supplies_balance_not_negative"
            ),
        ]


class LedgerEntry(models.Model):
    """One movement of stock. Never edited or deleted: a correction is a new entry."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", _("Received")
        ISSUE = "issue", _("Issued")
        TRANSFER_IN = "transfer_in", _("Transferred in")
        TRANSFER_OUT = "transfer_out", _("Transferred out")
        CORRECTION = "correction", _("Correction")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    quantity = models.IntegerField(_("quantity"))  # signed: + in, − out
    balance_after = models.IntegerField(_("on hand after"))
    request = models.ForeignKey(
        "SupplyRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("donor or source"), max_length=100, blank=True)  # receipts
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ScopedManager()
    scope_path = "location__place__code"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="supplies_entry_moves")
        ]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("ledger entries are never changed; post a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ledger entries are never deleted; post a correction instead")


class SupplyRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        FULFILLED = "fulfilled", _("Fulfilled")

    location = models.ForeignKey(StockLocation, on_delete=models.PROTECT, related_name="requests")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity asked"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    approved_quantity = models.PositiveIntegerField(_("quantity approved"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_path = "location__place__code"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("supply request")
        verbose_name_plural = _("supply requests")


auditlog.register(SupplyRequest)
