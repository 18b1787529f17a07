"""Roll-call pages (phone-first), provider callbacks, incoming warnings and family links."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from linli.accounts.roles import Can
from linli.common.views import requires
from linli.domain.reach.callbacks import CallbackError
from linli.domain.reach.signing import check_callback
from linli.places.selectors import access_place

from . import selectors, services
from .warnings import WarningError, do_receive_warning

PROVIDERS = ("aliyun-sms", "aliyun-voice", "tencent-sms", "locmem-sms", "locmem-voice")
MAX_CALLBACK = 1024 * 1024


class RollCallForm(forms.Form):
    place = forms.CharField(label=gettext_lazy("Place code"), max_length=24)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)
    minutes = forms.IntegerField(
        label=gettext_lazy("Deadline (minutes)"), min_value=5, max_value=1440, initial=60
    )


@requires(Can.VIEW_COVERAGE)
def index(request: HttpRequest) -> HttpResponse:
    form = RollCallForm(request.POST or None, initial={"place": request.GET.get("place", "")})
    if request.method == "POST" and form.is_valid():
        place = access_place(request.user, form.cleaned_data["place"])
        try:
            rollcall = services.do_start_rollcall(
                actor=request.user,
                place=place,
                reason=form.cleaned_data["reason"],
                minutes=form.cleaned_data["minutes"],
            )
        except services.ReachError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Roll-call started."))
            return redirect("reach:board", pk=rollcall.pk)
    context = {"form": form, "rollcalls": selectors.rollcalls_for(request.user)[:20]}
    return render(request, "reach/index.html", context, status=400 if form.errors else 200)


@requires(Can.VIEW_COVERAGE)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    rollcall = selectors.access_rollcall(request.user, pk)
    place = access_place(request.user, request.GET.get("place") or rollcall.place.code)
    if not place.code.startswith(rollcall.place.code):
        place = rollcall.place
    total, rows = selectors.board(rollcall, place)
    context = {
        "rollcall": rollcall,
        "place": place,
        "total": total,
        "rows": rows,
        "entries": selectors.red_entries(rollcall, place)[:50],
    }
    template = "reach/_partials/board.html" if request.htmx else "reach/board.html"
    return render(request, template, context)


def _signed(request: HttpRequest) -> str | None:
    return check_callback(
        settings.LINLI_REACH_CALLBACK_SECRET,
        request.headers.get("X-Linli-Signature", ""),
        request.body,
        int(time.time()),
    )


@csrf_exempt
@require_POST
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Delivery receipts, SMS replies and call results; signed, each event applied once."""
    if provider not in PROVIDERS:
        return JsonResponse({"error": f"unknown provider {provider}"}, status=404)
    if len(request.body) > MAX_CALLBACK:
        return JsonResponse({"error": "body too large"}, status=413)
    refused = _signed(request)
    if refused:
        return JsonResponse({"error": refused}, status=403)
    try:
        counts = services.do_ingest_callback(provider=provider, body=request.body)
    except CallbackError as error:
        return JsonResponse({"error": str(error)}, status=400)
    # Alibaba Cloud expects {"code": 0} when a push was taken.
    return JsonResponse({"code": 0, "msg": "ok", **counts})


@csrf_exempt
@require_POST
def warning(request: HttpRequest) -> HttpResponse:
    """A GB/T 35965 warning (Authorization: Bearer <token with the warnings purpose>)."""
    from linli.accounts.services import actor_for_token

    header = request.headers.get("Authorization", "")
    actor = (
        actor_for_token(header.removeprefix("Bearer ").strip(), "POST", request.path)
        if header.startswith("Bearer ")
        else None
    )
    if actor is None:
        return JsonResponse({"error": "a token with the warnings purpose is required"}, status=401)
    try:
        record, rollcalls = do_receive_warning(actor=actor, body=request.body)
    except WarningError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {
            "identifier": record.identifier,
            "rollcalls": [r.pk for r in rollcalls],
            "unknown_places": record.unknown_codes,
            "refused_places": record.refused_codes,
        }
    )


def family(request: HttpRequest, token: str) -> HttpResponse:
    """What a family member sees: only that ward's status, and a button to confirm."""
    link = services.kin_link(token)
    if link is None:
        return render(request, "reach/family.html", {"gone": True}, status=410)
    if request.method == "POST":
        try:
            services.do_kin_confirm(raw=token, safe=request.POST.get("safe") == "1")
        except services.ReachError as error:
            return render(request, "reach/family.html", {"gone": True, "error": error}, status=410)
        return render(request, "reach/family.html", {"done": True})
    return render(request, "reach/family.html", {"link": link})
