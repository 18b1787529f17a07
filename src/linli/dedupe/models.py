"""Record linkage in the register: candidate pairs of residents and the merges made.

A pair holds two residents of one community that may be the same person, with the
engine's probability and evidence. A merge records exactly what moved from the
absorbed resident to the survivor, so it can be undone; the absorbed resident is
kept (``merged_into`` set), with its history and audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same person")


class CandidatePair(models.Model):
    community = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="candidate_pairs"
    )
    # resident_a has the lower id; both lie in ``community``.
    resident_a = models.ForeignKey("register.Resident", on_delete=models.CASCADE, related_name="+")
    resident_b = models.ForeignKey("register.Resident", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("probability"))
    weight = models.FloatField(_("weight (bits)"))
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.PENDING
    )
    found_at = models.DateTimeField(_("found at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScopedManager()
    # Both residents must be in scope: selectors add the same test on resident_b.
    scope_path = "resident_a__place__code"

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["resident_a", "resident_b"], name="candidate_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(resident_a__lt=models.F("resident_b")),
                name="candidate_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"candidate pair {self.pk}"

    @property
    def probability_percent(self) -> int:
        return round(self.probability * 100)


class Merge(models.Model):
    """One merge of ``absorbed`` into ``survivor``, and what it moved (``moved``).

    ``moved`` holds ids and previous values only: ``source_records`` and
    ``vulnerabilities`` (ids moved to the survivor), ``ward`` (id of a ward moved,
    or null), ``survivor_ward`` (the survivor ward's needs and risk before they were
    joined, or null), ``survivor_fields`` (survivor fields that were blank and were
    filled from the absorbed resident, with their old values).
    """

    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="merges")
    survivor = models.ForeignKey("register.Resident", on_delete=models.PROTECT, related_name="+")
    absorbed = models.ForeignKey("register.Resident", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    objects = ScopedManager()
    scope_path = "pair__resident_a__place__code"

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"merge {self.pk}"


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(CandidatePair)
auditlog.register(Merge)
