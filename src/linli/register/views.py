from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.audit import record_read
from linli.common.disclosure import DigitSearchRefused, may_search_digits
from linli.common.views import requires

from .models import Category, Risk
from .selectors import (
    RegisterFilters,
    access_household,
    access_resident,
    contact_windows,
    filter_places,
    is_digit_search,
    residents_for,
    search_residents,
)
from .services import do_reveal_id_number


@requires(Can.VIEW_REGISTER)
def resident_list(request: HttpRequest) -> HttpResponse:
    filters = RegisterFilters.from_query(request.GET)
    refused = ""
    try:
        residents = search_residents(request.user, filters.q, filters)
    except DigitSearchRefused:
        refused = _(
            "Searching by ID or phone digits needs the right to see full ID numbers; "
            "search by name or pinyin."
        )
        residents = residents_for(request.user).none()
    page = Paginator(residents, 50).get_page(request.GET.get("page"))
    if is_digit_search(filters.q) and not refused:
        record_read(
            actor=request.user,
            place=request.user.place,
            what="resident",
            fields=["name", "id_number:masked", "address", "categories"],
            rows=len(page.object_list),
            via=request.path,
            searched="digits",
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "refused": refused,
        "may_search_digits": may_search_digits(request.user),
        "page": page,
        "q": filters.q,
        "filters": filters,
        "categories": Category.choices,
        "risks": Risk.choices,
        "places": filter_places(request.user),
        "query": query.urlencode(),
        "can_import": request.user.can(Can.EDIT_REGISTER),
    }
    return render(request, "register/resident_list.html", context)


@requires(Can.VIEW_REGISTER)
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = access_resident(request.user, pk)
    ward = getattr(resident, "ward", None)
    context = {
        "resident": resident,
        "ward": ward,
        "window": contact_windows(resident.place).get(ward.risk) if ward else None,
        "vulnerabilities": resident.vulnerabilities.order_by("start_date", "pk"),
        "sources": resident.source_records.order_by("source", "pk"),
        "can_reveal": request.user.can(Can.REVEAL_ID_NUMBER),
    }
    return render(request, "register/resident_detail.html", context)


@requires(Can.VIEW_REGISTER)
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = access_household(request.user, pk)
    members = residents_for(request.user).filter(household=household).order_by("pk")
    return render(
        request, "register/household_detail.html", {"household": household, "members": members}
    )


@require_POST
@requires(Can.REVEAL_ID_NUMBER)
def reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    resident = access_resident(request.user, pk)
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        return HttpResponse(_("Say why you need the full ID number."), status=400)
    number = do_reveal_id_number(actor=request.user, resident=resident, reason=reason)
    return render(request, "register/_partials/id_number.html", {"number": number})
