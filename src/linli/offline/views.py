from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

BUNDLE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "offline" / "sw.js"
# what a phone keeps from its first visit, so pages it saved still have their looks and scripts
PRECACHE = ["linli/linli.css", "vendor/htmx/htmx.min.js", "vendor/offline/outbox.js"]


@cache
def _bundle() -> str:
    return BUNDLE.read_text(encoding="utf-8")


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so its scope is the whole site."""
    urls = [static(name) for name in PRECACHE]
    head = "self.LINLI = " + json.dumps({"precache": urls, "offline": "/offline/"}) + ";\n"
    response = HttpResponse(head + _bundle(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """Shown when a page the phone never saved is opened without a connection."""
    return render(request, "offline/offline.html")
