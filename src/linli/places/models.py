"""Places: city → district/county → street/town → community/village → grid → compound → building.

The top four levels carry the National Bureau of Statistics codes (2023). Levels
below a community are local; their codes extend the community's code so that a
code prefix is a subtree (see :mod:`linli.common.scope`).
"""

from __future__ import annotations

import functools
import operator

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from linli.common.scope import ScopedManager
from linli.domain.placecodes import CODE_LENGTH, CodeProblem, Spot, code_problems


class Level(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street / town")
    COMMUNITY = "community", _("Community / village")
    GRID = "grid", _("Grid")
    COMPOUND = "compound", _("Compound")
    BUILDING = "building", _("Building")


LEVEL_ORDER = [level.value for level in Level]

# What names a place in the scope: fixed once the place exists (see do_recode_place).
IDENTITY_FIELDS = ("code", "parent", "level")
UNLOADED = object()


class PlaceIdentityError(ValueError):
    """A place's code, parent or level is wrong, or was changed outside ``do_recode_place``."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(str(m) for m in messages))


def code_problem_messages(problems: list[CodeProblem], *, code: str, level: str) -> list[str]:
    text = {
        CodeProblem.UNKNOWN_LEVEL: _("%(level)s is not a place level."),
        CodeProblem.NOT_DIGITS: _("The code %(code)s must be digits only."),
        CodeProblem.WRONG_LENGTH: _("The code of a %(level)s has %(length)s digits."),
        CodeProblem.CITY_HAS_PARENT: _("A city has no parent place."),
        CodeProblem.NO_PARENT: _("Every place below the city needs a parent."),
        CodeProblem.LEVEL_NOT_BELOW_PARENT: _("A %(level)s must lie below its parent's level."),
        CodeProblem.DOES_NOT_EXTEND_PARENT: _("The code %(code)s must extend its parent's code."),
    }
    values = {"code": code, "level": level, "length": CODE_LENGTH.get(level, "?")}
    return [str(text[p] % values) for p in problems]


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
        constraints = [
            # A code's length is its level's (so no code is a prefix of a place it does not
            # contain); only the city has no parent. Codes extending the parent's are checked
            # by the triggers of migration 0003 (a rule across rows).
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.or_,
                    (
                        models.Q(Exact(Length("code"), length), level=level)
                        for level, length in CODE_LENGTH.items()
                    ),
                ),
                name="place_code_length_is_the_level_s",
            ),
            models.CheckConstraint(
                condition=models.Q(level="city", parent__isnull=True)
                | (~models.Q(level="city") & models.Q(parent__isnull=False)),
                name="place_parent_except_the_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        if messages := self.identity_problems():
            raise PlaceIdentityError(messages)
        super().save(*args, **kwargs)
        self._remember_identity()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if messages := self.identity_problems():
            raise ValidationError(messages)

    # Scope is a prefix test on the live code, so a changed code, parent or level moves
    # everyone bound at or below the place (issue 18: a secretary set her community's code
    # to 510 and reached the city). The model refuses it here, the database refuses it to
    # bulk updates and raw SQL (migration 0003's triggers), and the one way to recode is
    # places.services.do_recode_place, which re-checks every account bound below.
    @classmethod
    def from_db(cls, db, field_names, values):
        place = super().from_db(db, field_names, values)
        place._remember_identity()
        return place

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None:
            self._remember_identity()

    def _remember_identity(self) -> None:
        identity = self._identity()
        if UNLOADED in identity:  # deferred (``.only()``): read from the database at save
            self.__dict__.pop("_loaded_identity", None)
        else:
            self._loaded_identity = identity

    def _identity(self) -> tuple:
        """Code, parent id and level as the instance holds them (UNLOADED where deferred:
        reading a deferred field would cost a query per place)."""
        return tuple(
            self.__dict__.get(f.attname, UNLOADED)
            for f in map(self._meta.get_field, IDENTITY_FIELDS)
        )

    def identity_problems(self) -> list[str]:
        """Why this place may not be saved as it is: a changed code, parent or level (when it
        exists), a code that breaks the code rule or takes places already there (when new)."""
        loaded = getattr(self, "_loaded_identity", None)
        if loaded is None and self.pk is not None:
            loaded = (
                Place.objects.filter(pk=self.pk).values_list("code", "parent_id", "level").first()
            )
        if loaded is not None:
            return [
                str(_("The %(field)s of a place cannot be changed here.") % {"field": name})
                for name, before, now in zip(IDENTITY_FIELDS, loaded, self._identity(), strict=True)
                if now is not UNLOADED and before != now
            ]
        parent = self.parent if self.parent_id else None
        spot = Spot(self.code, self.level, parent and Spot(parent.code, parent.level, None))
        messages = code_problem_messages(code_problems(spot), code=self.code, level=self.level)
        if not messages and Place.objects.filter(code__startswith=self.code).exists():
            messages.append(
                str(_("Places with codes starting %(code)s exist already.") % {"code": self.code})
            )
        return messages

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


class PlaceRecode(models.Model):
    """A place given a new code, parent or level by a system administrator, with the
    places below it: the audit row, and while ``open`` (inside the recode's transaction
    only) the database's permission to rewrite those codes."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="recodes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200)
    old_code = models.CharField(_("old code"), max_length=24)
    new_code = models.CharField(_("new code"), max_length=24)
    old_parent = models.ForeignKey(
        Place, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("old parent")
    )
    new_parent = models.ForeignKey(
        Place, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("new parent")
    )
    old_level = models.CharField(_("old level"), max_length=10, choices=Level.choices)
    new_level = models.CharField(_("new level"), max_length=10, choices=Level.choices)
    places = models.PositiveIntegerField(_("places recoded"), default=0)
    accounts_checked = models.PositiveIntegerField(_("accounts re-checked"), default=0)
    open = models.BooleanField(default=True)

    objects = ScopedManager()
    scope_path = "place__code"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("place recode")
        verbose_name_plural = _("place recodes")

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_code}"


class PlaceCodeCounter(models.Model):
    """The last number given to a child of ``parent``: codes below a community are the
    parent's code and the next number, so a code is never given twice, not even after the
    place it named was retired or recoded away (see ``do_create_place``)."""

    parent = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="code_counter")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("place code counter")
        verbose_name_plural = _("place code counters")

    def __str__(self) -> str:
        return f"{self.parent.code}: {self.last}"
