"""The register's JSON API: residents (filtered, searched, paged) and households.

Identifiers follow the one masking rule (:mod:`linli.common.disclosure`): ID numbers
masked as on the pages (full numbers only through the audited reveal on the resident
page), phones masked for those who may not reveal, no search by digits for them. Every
answer with people in it is recorded in the audit trail: who, which fields, how many.
"""

# No "from __future__ import annotations": django-ninja reads the annotations at runtime.

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from linli.accounts.roles import Can
from linli.common.audit import record_read
from linli.common.disclosure import DigitSearchRefused, may_reveal, phone_for
from linli.common.pagination import BoundedPagination

from .models import Resident
from .selectors import (
    RegisterFilters,
    access_household,
    access_resident,
    is_digit_search,
    residents_for,
    search_residents,
)

router = Router(tags=["register"])


class FiltersIn(Schema):
    q: str = ""
    category: str = ""
    risk: str = ""
    place: str = ""
    has_guardian: str = ""


class ResidentOut(Schema):
    id: int
    name: str
    id_number_masked: str
    has_id_number: bool
    sex: str
    birth_date: dt.date | None
    phone: str
    phone2: str
    place: str
    household: int | None
    relation: str
    categories: list[str]
    risk: str | None
    needs: list[str]

    @staticmethod
    def resolve_id_number_masked(obj: Resident) -> str:
        return obj.id_masked

    @staticmethod
    def resolve_phone(obj: Resident, context) -> str:
        return phone_for(context["request"].user, obj.phone)

    @staticmethod
    def resolve_phone2(obj: Resident, context) -> str:
        return phone_for(context["request"].user, obj.phone2)

    @staticmethod
    def resolve_place(obj: Resident) -> str:
        return obj.place.code

    @staticmethod
    def resolve_household(obj: Resident) -> int | None:
        return obj.household_id

    @staticmethod
    def resolve_categories(obj: Resident) -> list[str]:
        return [v.category for v in obj.vulnerabilities.all() if v.end_date is None]

    @staticmethod
    def resolve_risk(obj: Resident) -> str | None:
        ward = getattr(obj, "ward", None)
        return ward.risk if ward else None

    @staticmethod
    def resolve_needs(obj: Resident) -> list[str]:
        ward = getattr(obj, "ward", None)
        return list(ward.needs) if ward else []


class HouseholdOut(Schema):
    id: int
    code: str
    place: str
    unit: str
    room: str
    address: str
    members: list[ResidentOut]


def _require(request: HttpRequest, capability: str) -> None:
    if not request.user.can(capability):
        raise HttpError(403, "not allowed")


def resident_fields(actor) -> list[str]:
    """The personal fields of :class:`ResidentOut`, each named as ``actor`` receives it."""
    phones = "" if may_reveal(actor) else ":masked"
    return [
        "name",
        "id_number:masked",
        "sex",
        "birth_date",
        f"phone{phones}",
        f"phone2{phones}",
        "place",
        "household",
        "relation",
        "categories",
        "risk",
        "needs",
    ]


def _record(request: HttpRequest, rows: int, searched: str = "") -> None:
    record_read(
        actor=request.user,
        place=request.user.place,
        what="resident",
        fields=resident_fields(request.user),
        rows=rows,
        via=request.path,
        searched=searched,
    )


class AuditedPagination(BoundedPagination):
    """The register's pagination: each page handed out is recorded (:func:`_record`)."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        filters = params.get("filters")
        searched = "digits" if filters is not None and is_digit_search(filters.q) else ""
        _record(request, len(page["items"]), searched)
        return page


@router.get("/residents", response=list[ResidentOut], summary="Residents in the caller's scope")
@paginate(AuditedPagination)
def list_residents(request: HttpRequest, filters: Query[FiltersIn]):
    """Filtered like the register page: ``q`` matches a name, its pinyin, a phone or the
    last digits of an ID number (digits only for callers who may reveal ID numbers: 403
    for the others); ``place`` is a grid's or compound's code. Each page is recorded in
    the audit trail (who, which fields, how many rows)."""
    _require(request, Can.VIEW_REGISTER)
    try:
        return search_residents(request.user, filters.q, RegisterFilters(**filters.dict()))
    except DigitSearchRefused:
        raise HttpError(
            403, "q: searching by ID or phone digits needs the capability to reveal ID numbers"
        ) from None


@router.get("/residents/{resident_id}", response=ResidentOut, summary="One resident")
def get_resident(request: HttpRequest, resident_id: int):
    _require(request, Can.VIEW_REGISTER)
    resident = access_resident(request.user, resident_id)
    _record(request, 1)
    return resident


@router.get("/households/{household_id}", response=HouseholdOut, summary="One household")
def get_household(request: HttpRequest, household_id: int):
    _require(request, Can.VIEW_REGISTER)
    household = access_household(request.user, household_id)
    members = list(
        residents_for(request.user)
        .filter(household=household)
        .prefetch_related("vulnerabilities")
        .select_related("ward")
    )
    _record(request, len(members))
    return {
        "id": household.pk,
        "code": household.code,
        "place": household.place.code,
        "unit": household.unit,
        "room": household.room,
        "address": household.address,
        "members": members,
    }
