"""The inbox and a person's channel settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification, Preference
from .services import mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notes = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "notifications/inbox.html", {"notes": notes})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(request.user)
    return redirect("notifications:inbox")


class PreferenceForm(forms.Form):
    email_address = forms.EmailField(label=_("Email address"), required=False)
    email = forms.BooleanField(label=_("Also send my notifications by email"), required=False)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    preference, _created = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={"email_address": request.user.email, "email": preference.email},
    )
    if request.method == "POST" and form.is_valid():
        request.user.email = form.cleaned_data["email_address"]
        request.user.save(update_fields=["email"])
        preference.email = form.cleaned_data["email"]
        preference.save(update_fields=["email"])
        messages.success(request, _("Saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
