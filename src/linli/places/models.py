"""Places: city → district/county → street/town → community/village → grid → compound → building.

The top four levels carry the National Bureau of Statistics codes (2023). Levels
below a community are local; their codes extend the community's code so that a
code prefix is a subtree (see :mod:`linli.common.scope`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager


class Level(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street / town")
    COMMUNITY = "community", _("Community / village")
    GRID = "grid", _("Grid")
    COMPOUND = "compound", _("Compound")
    BUILDING = "building", _("Building")


LEVEL_ORDER = [level.value for level in Level]


class Place(models.Model):
    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    x = models.FloatField(_("x (m)"), null=True, blank=True)
    y = models.FloatField(_("y (m)"), null=True, blank=True)
    sealed = models.BooleanField(_("sealed"), default=False)

    objects = ScopedManager()
    scope_path = "code"

    class Meta:
        ordering = ["code"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [
            # Sealed compounds, counted on every officer's home page: a few rows, not the
            # city's hundred thousand compounds.
            models.Index(fields=["level"], condition=models.Q(sealed=True), name="place_sealed")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def short_name(self) -> str:
        """The colloquial name: 玉林东路社区居委会 → 玉林东路社区."""
        for suffix, keep in (
            ("社区居委会", "社区"),
            ("社区居民委员会", "社区"),
            ("居民委员会", "社区"),
            ("居委会", "社区"),
            ("村民委员会", "村"),
            ("村委会", "村"),
        ):
            if self.name.endswith(suffix):
                base = self.name[: -len(suffix)]
                return base if base.endswith(keep) else base + keep
        return self.name

    def ancestors(self) -> list[Place]:
        """From the city down to the parent; one query."""
        prefixes = [self.code[:n] for n in range(1, len(self.code))]
        return list(Place.objects.filter(code__in=prefixes).order_by("code"))


class SealEvent(models.Model):
    """Who sealed or unsealed a compound, and when: later capabilities react to these."""

    class Action(models.TextChoices):
        SEAL = "seal", _("Sealed")
        UNSEAL = "unseal", _("Unsealed")

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="seal_events")
    action = models.CharField(_("action"), max_length=6, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("seal event")
        verbose_name_plural = _("seal events")


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(Place, include_fields=["sealed", "name"])
