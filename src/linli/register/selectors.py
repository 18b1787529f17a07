"""Scoped reads of the register."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from linli.common.disclosure import DigitSearchRefused, may_search_digits
from linli.common.scope import access, scoped
from linli.places.models import Level, Place

from .models import Household, ImportRun, Resident, Vulnerability


def residents_for(actor: Any) -> QuerySet[Resident]:
    """Residents in scope, merged duplicates left out."""
    return scoped(Resident, actor).current().select_related("place", "household")


def access_resident(actor: Any, resident_id: int) -> Resident:
    """One resident in scope (merged ones too: their page points to the survivor)."""
    qs = scoped(Resident, actor).select_related("place", "household", "merged_into")
    return access(Resident, actor, queryset=qs, pk=resident_id)


def access_household(actor: Any, household_id: int) -> Household:
    return access(
        Household, actor, queryset=Household.objects.select_related("place"), pk=household_id
    )


@dataclass(frozen=True)
class RegisterFilters:
    """What the register list is narrowed by; empty strings mean "any"."""

    q: str = ""
    category: str = ""
    risk: str = ""
    place: str = ""  # a grid's or compound's code
    has_guardian: str = ""  # "yes", "no" or ""

    @classmethod
    def from_query(cls, data: Any) -> RegisterFilters:
        return cls(
            **{name: (data.get(name) or "").strip()[:64] for name in cls.__dataclass_fields__}
        )


_DIGITS = re.compile(r"^\d+[xX]?$")
_LATIN = re.compile(r"^[a-zA-Z ]+$")


def is_digit_search(query: str) -> bool:
    """Whether ``query`` searches by digits of ID numbers and phones."""
    return bool(_DIGITS.match((query or "").strip()))


def search_residents(
    actor: Any, query: str = "", filters: RegisterFilters | None = None
) -> QuerySet[Resident]:
    """Residents in scope matching a name, its pinyin (full or initials), a phone or the
    last digits of an ID number, narrowed by category, risk, grid/compound and whether
    a guardian is assigned. Digits are searched only for those who may reveal
    identifiers (:func:`linli.common.disclosure.may_search_digits`); anybody else gets
    :class:`DigitSearchRefused`: what such a search finds says which people's numbers
    hold the digits, a hidden digit at a time."""
    filters = filters or RegisterFilters(q=query)
    qs = residents_for(actor).prefetch_related("vulnerabilities").select_related("ward")
    query = (query or filters.q).strip()
    if _DIGITS.match(query):
        if not may_search_digits(actor):
            raise DigitSearchRefused(query)
        qs = qs.filter(
            Q(phone__contains=query)
            | Q(phone2__contains=query)
            | Q(id_number__endswith=query.upper())
        )
    elif _LATIN.match(query):
        qs = qs.filter(name_pinyin__contains=query.replace(" ", "").lower())
    elif query:
        qs = qs.filter(name__contains=query)
    if filters.category:
        current = Vulnerability.objects.filter(
            resident=OuterRef("pk"), category=filters.category, end_date__isnull=True
        )
        qs = qs.filter(Exists(current))
    if filters.risk:
        qs = qs.filter(ward__risk=filters.risk)
    if filters.place:
        qs = qs.filter(place__code__startswith=filters.place)
    if filters.has_guardian in ("yes", "no"):
        from linli.guardianship.models import Assignment

        guarded = Exists(Assignment.objects.filter(ward__resident=OuterRef("pk")))
        qs = qs.filter(guarded if filters.has_guardian == "yes" else ~guarded)
    return qs


def filter_places(actor: Any) -> QuerySet[Place]:
    """The grids and compounds an actor may narrow the register to."""
    return scoped(Place, actor).filter(level__in=[Level.GRID, Level.COMPOUND]).order_by("code")


def imports_for(actor: Any) -> QuerySet[ImportRun]:
    return scoped(ImportRun, actor).select_related("place", "job").defer("content")


def access_import(actor: Any, run_id: int) -> ImportRun:
    qs = ImportRun.objects.select_related("place", "job")
    return access(ImportRun, actor, queryset=qs, pk=run_id)


def contact_windows(place: Place) -> dict[str, int]:
    """Hours within which a ward of each risk level must be contacted, for a place's
    community: the community's own setting, else the defaults (12 / 24 / 72 h)."""
    from linli.domain.contacts import DEFAULT_WINDOWS_HOURS

    from .models import ContactWindows

    row = ContactWindows.objects.filter(place__code=place.code[:12]).first()
    return row.hours() if row else dict(DEFAULT_WINDOWS_HOURS)


def community_contact_windows() -> dict[str, dict[str, int]]:
    """Community code → its own contact windows, for the communities that set them."""
    from .models import ContactWindows

    return {w.place.code: w.hours() for w in ContactWindows.objects.select_related("place")}


def deployment_vocabularies() -> Any:
    """The built-in vocabularies plus the words this deployment's administrators added."""
    from linli.domain.vocabulary import Vocabularies

    from .models import VocabularyWord

    rows = VocabularyWord.objects.values_list("field", "word", "code")
    return Vocabularies.with_extra(rows)
