"""Views that belong to no capability: home, health check, capability guard."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from linli.places.selectors import reachable_summary


def next_url(request: HttpRequest, default: str = "") -> str:
    """The ``next`` the request carries (POST, then GET) when it leads back into this site;
    else ``default``. The only place Linli reads ``next``: a link like
    ``?next=https://evil.example/`` must not make a Linli form send people elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def requires(capability: str):
    """Decorator: signed in and holding ``capability``, else 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"summary": reachable_summary(request.user)})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers; no personal data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})
