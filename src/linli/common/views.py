"""Views that belong to no capability: home, health check, capability guard."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from linli.places.selectors import reachable_summary


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
