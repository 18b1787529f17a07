from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.views import requires

from .selectors import access_resident, search_residents
from .services import do_reveal_id_number


@requires(Can.VIEW_REGISTER)
def resident_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    page = Paginator(search_residents(request.user, query), 50).get_page(request.GET.get("page"))
    return render(request, "register/resident_list.html", {"page": page, "q": query})


@requires(Can.VIEW_REGISTER)
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = access_resident(request.user, pk)
    context = {"resident": resident, "can_reveal": request.user.can(Can.REVEAL_ID_NUMBER)}
    return render(request, "register/resident_detail.html", context)


@require_POST
@requires(Can.REVEAL_ID_NUMBER)
def reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    resident = access_resident(request.user, pk)
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        return HttpResponse(_("Say why you need the full ID number."), status=400)
    number = do_reveal_id_number(actor=request.user, resident=resident, reason=reason)
    return render(request, "register/_partials/id_number.html", {"number": number})
