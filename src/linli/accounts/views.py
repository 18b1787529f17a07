"""Sign-in pages of Linli's own: the second factor (enrol, verify) and API tokens."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from linli.common.scope import access, scoped
from linli.common.views import next_url, requires
from linli.places.selectors import places_for

from .models import ApiToken
from .roles import Can
from .services import do_create_token, do_revoke_token
from .tokens import Purpose
from .twofactor import confirmed_device, pending_device


class SignOutView(auth_views.LogoutView):
    """Sign out, and have the browser forget what Linli kept in it: the offline screening
    queue (localStorage) must never be sent later under whoever signs in next."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _check(form: TokenForm, device) -> bool:
    """True when the form's code is valid for the device; else the form carries the error."""
    if not form.is_valid():
        return False
    if device.verify_token(form.cleaned_data["token"]):
        return True
    form.add_error("token", _("That code is not right or has expired. Try the newest one."))
    return False


@login_required
def twofactor_enrol(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is not None:
        return redirect("accounts:twofactor_verify")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check(form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(next_url(request, "/"))
    config_url = device.config_url
    qr_svg = segno.make(config_url, error="m").svg_inline(scale=4, omitsize=True)
    key = _base32(device.bin_key)
    return render(
        request,
        "registration/twofactor_enrol.html",
        {"form": form, "qr_svg": qr_svg, "key": key, "next": next_url(request, "/")},
    )


@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if device is None:  # nothing to verify against yet: the page points to enrolment
        form = None
    elif request.method == "POST" and _check(form, device):
        otp_login(request, device)
        return redirect(next_url(request, "/"))
    return render(
        request,
        "registration/twofactor_verify.html",
        {"form": form, "next": next_url(request, "/")},
    )


def _base32(key: bytes) -> str:
    """The key as authenticator apps take it by hand: base32 in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name (who or what uses it)"), max_length=100)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    place = forms.ChoiceField(label=_("Place"))


@requires(Can.MANAGE_API_TOKENS)
def api_tokens(request: HttpRequest) -> HttpResponse:
    places = (
        places_for(request.user)
        .filter(level__in=["city", "district", "street", "community"])
        .order_by("code")
    )
    form = ApiTokenForm(request.POST or None)
    form.fields["place"].choices = [(p.code, f"{p.name} ({p.code})") for p in places]
    raw = None
    if request.method == "POST" and form.is_valid():
        place = places.filter(code=form.cleaned_data["place"]).first()
        try:
            _token, raw = do_create_token(
                actor=request.user,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                place=place,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field, message)
        else:
            form = ApiTokenForm(initial={"place": request.user.place.code})
            form.fields["place"].choices = [(p.code, f"{p.name} ({p.code})") for p in places]
    tokens = scoped(ApiToken, request.user).select_related("place", "created_by")
    return render(
        request, "registration/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw}
    )


@requires(Can.MANAGE_API_TOKENS)
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    do_revoke_token(token=access(ApiToken, request.user, pk=pk))
    return redirect("accounts:api_tokens")
