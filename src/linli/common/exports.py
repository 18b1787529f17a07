"""Files of personal data leave Linli one way: the reader says why (a required reason, kept in
the audit trail with who, what and how many rows) and may put a password on an xlsx.

Every export view hands :func:`export_response` a function that builds the file and records
the export (its app's ``do_export_*`` service); the page, the checks and the password are
here, so the four exports behave alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .protect import MIN_PASSWORD, ProtectError, check_password, protect_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REASON_LENGTH = 200


class ExportForm(forms.Form):
    """Why the file is needed (required) and an optional password for an xlsx."""

    reason = forms.CharField(
        label=_("Why do you need this file?"),
        max_length=REASON_LENGTH,
        help_text=_("Kept in the audit trail with your name and the time."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "go"}),
        error_messages={"required": _("Say why you need this file: it holds personal data.")},
    )
    password = forms.CharField(
        label=_("Password for the file (optional)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "minlength": MIN_PASSWORD}
        ),
    )

    def __init__(self, *args: Any, protectable: bool = True, **kwargs: Any):
        kwargs.setdefault("label_suffix", "")  # the labels are a question and a note
        super().__init__(*args, **kwargs)
        self.protectable = protectable
        self.fields["password"].help_text = _(
            "At least %(n)s characters. Excel and WPS ask for it when the file is opened; "
            "give it to the receiver another way (by phone, not in the same message)."
        ) % {"n": MIN_PASSWORD}

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password:
            return ""
        if not self.protectable:
            raise forms.ValidationError(_("Only xlsx files can carry a password."))
        try:
            return check_password(password)
        except ProtectError as error:
            raise forms.ValidationError(str(error)) from None


def export_response(
    request: HttpRequest,
    *,
    what: str,
    file_name: str,
    produce: Callable[[str, bool], bytes],
    content_type: str = XLSX,
    protectable: bool = True,
) -> HttpResponse:
    """GET: the page asking why (and an optional password). POST: the file, built and
    audited by ``produce(reason, protected)`` and encrypted when a password was given; a
    POST without a reason (or with a bad password) gets the page again with the error, 400,
    and no file is built."""
    form = ExportForm(request.POST if request.method == "POST" else None, protectable=protectable)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        content = produce(form.cleaned_data["reason"], bool(password))
        if password:
            content = protect_xlsx(content, password)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = attachment(file_name)
        return response
    return render(
        request,
        "common/export.html",
        {"export_form": form, "what": what, "action": request.path},
        status=400 if request.method == "POST" else 200,
    )


def attachment(file_name: str) -> str:
    """A Content-Disposition for any file name (Chinese ones included)."""
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(file_name)}"
