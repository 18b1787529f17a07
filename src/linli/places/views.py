from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.views import next_url, requires
from linli.guardianship.replan import do_seal_compound, do_unseal_compound

from .selectors import access_place, children_of, top_places
from .services import PlaceError


@login_required
def place_list(request: HttpRequest) -> HttpResponse:
    return render(request, "places/list.html", {"places": top_places(request.user)})


@login_required
def place_detail(request: HttpRequest, code: str) -> HttpResponse:
    place = access_place(request.user, code)
    context = {
        "place": place,
        "ancestors": [a for a in place.ancestors()],
        "children": children_of(request.user, place),
        "can_seal": request.user.can(Can.SEAL_COMPOUND),
    }
    return render(request, "places/detail.html", context)


@require_POST
@requires(Can.SEAL_COMPOUND)
def compound_seal(request: HttpRequest, code: str) -> HttpResponse:
    place = access_place(request.user, code)
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")[:200]
    service = {"seal": do_seal_compound, "unseal": do_unseal_compound}.get(action or "")
    if service is None:
        return HttpResponse(status=400)
    try:
        service(actor=request.user, place=place, reason=reason)
    except PlaceError as error:
        messages.error(request, str(error))
    if request.htmx:
        return render(
            request, "places/_partials/compound_row.html", {"child": place, "can_seal": True}
        )
    target = next_url(request)
    if target:
        return redirect(target)
    return redirect("places:detail", code=place.parent.code if place.parent else place.code)
