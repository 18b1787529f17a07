"""Deliveries behind sealed gates: the catalogue, orders placed on someone's behalf, and the
runs that carry them from a compound's gate to the door."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.common.scope import ScopedManager


class DeliveryItem(models.Model):
    """What a supply item is as a delivery: its weight and whether it is a prescription
    refill. The catalogue is shared by every place, as the supplies items are."""

    class Kind(models.TextChoices):
        STAPLE = "staple", _("Staples")
        VEGETABLES = "vegetables", _("Vegetable pack")
        MEDICINE = "medicine", _("Medicine refill")
        FORMULA = "formula", _("Baby formula")
        OTHER = "other", _("Other")

    item = models.OneToOneField("supplies.Item", on_delete=models.PROTECT, related_name="delivery")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    kg = models.FloatField(_("kg a unit"), default=1.0)
    prescription = models.BooleanField(_("needs a prescription note"), default=False)

    class Meta:
        ordering = ["kind", "item__code"]
        verbose_name = _("delivery item")

    def __str__(self) -> str:
        return str(self.item)


class Order(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("order", "Open")
        PACKED = "packed", _("Packed")
        OUT = "out", _("Out for delivery")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    class Payer(models.TextChoices):
        SELF = "self", _("Pays themself")
        SUBSIDY = "subsidy", _("Subsidy")
        DONATION = "donation", _("Donation")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Today")
        URGENT = "urgent", _("Urgent")

    class Source(models.TextChoices):
        NONE = "", _("Not yet sourced")
        STOCK = "stock", _("Community stock")
        DONATION = "donation", _("Donation")
        SUPPLIER = "supplier", _("Supplier / group buy")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(
        "register.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    household = models.ForeignKey(
        "register.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    link_key = models.CharField(max_length=16, blank=True)  # placed through a signed link
    client_id = models.CharField(max_length=64, blank=True)
    payer = models.CharField(_("who pays"), max_length=10, choices=Payer.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, blank=True)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    donor = models.CharField(_("donor"), max_length=100, blank=True)
    note = models.TextField(_("prescription note"), blank=True)
    due_by = models.PositiveSmallIntegerField(null=True, blank=True)  # minutes after midnight
    every_days = models.PositiveSmallIntegerField(_("repeat every (days)"), null=True, blank=True)
    next_on = models.DateField(null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    reason = models.CharField(_("why not yet"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    packed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="deliveries/%Y/%m/", null=True, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        constraints = [
            models.UniqueConstraint(
                fields=["client_id"],
                condition=~models.Q(client_id=""),
                name="order_once_per_client_id",
            ),
            models.CheckConstraint(
                condition=models.Q(ward__isnull=False) | models.Q(household__isnull=False),
                name="order_for_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.pk}"  # never a name: this string reaches logs


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(DeliveryItem, null=True, blank=True, on_delete=models.PROTECT)
    text = models.CharField(_("free text"), max_length=200, blank=True)
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    packed = models.PositiveSmallIntegerField(_("packed"), default=0)

    class Meta:
        ordering = ["pk"]

    @property
    def label(self) -> str:
        return str(self.item) if self.item_id else self.text

    @property
    def kg(self) -> float:
        return (self.item.kg if self.item_id else 1.0) * self.quantity


class Run(models.Model):
    """One load carried from a compound's gate and back, by one volunteer who may enter."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a volunteer")
        TAKEN = "taken", _("Taken")
        DONE = "done", _("Done")

    community = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    gate = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    start = models.PositiveSmallIntegerField()  # minutes after midnight
    metres = models.PositiveIntegerField(default=0)
    kg = models.FloatField(default=0)
    proposed = models.ForeignKey(
        "guardianship.Volunteer", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    carrier = models.ForeignKey(
        "guardianship.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    taken_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_path = "gate__code"

    class Meta:
        ordering = ["day", "start", "pk"]

    def __str__(self) -> str:
        return f"run {self.pk}"


class RunStop(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="stops")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="stops")
    seq = models.PositiveSmallIntegerField()
    eta = models.PositiveSmallIntegerField()  # minutes after midnight

    class Meta:
        ordering = ["run", "seq"]


auditlog.register(Order, mask_fields=["note"], exclude_fields=["photo"])
auditlog.register(Run, include_fields=["carrier", "status"])
