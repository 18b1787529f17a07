"""Send accounts that need a second factor to enrolment or verification first."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .twofactor import confirmed_device, requires_2fa

# Paths an account may reach before its second factor: the sign-in pages and static files.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/2fa/",
    "/accounts/password-reset/",
    "/static/",
    "/i18n/",
    "/healthz",
)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            requires_2fa(user)
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if confirmed_device(user) is None:
                return redirect(reverse("accounts:twofactor_enrol"))
            verify = reverse("accounts:twofactor_verify")
            return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
