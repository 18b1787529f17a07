"""Second-factor pages: enrol a TOTP authenticator, verify a code after the password."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from .twofactor import confirmed_device, pending_device


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


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
        return redirect(_next_url(request))
    config_url = device.config_url
    qr_svg = segno.make(config_url, error="m").svg_inline(scale=4, omitsize=True)
    key = _base32(device.bin_key)
    return render(
        request,
        "registration/twofactor_enrol.html",
        {"form": form, "qr_svg": qr_svg, "key": key, "next": _next_url(request)},
    )


@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if device is None:  # nothing to verify against yet: the page points to enrolment
        form = None
    elif request.method == "POST" and _check(form, device):
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request, "registration/twofactor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _base32(key: bytes) -> str:
    """The key as authenticator apps take it by hand: base32 in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
