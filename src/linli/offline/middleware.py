"""Writes replayed from a phone's outbox (header X-Linli-Outbox) are done once per client id,
only for the account that queued them, and answered in JSON the outbox understands."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .conflict import Conflict
from .models import ClientWrite


def _is_outbox(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get("X-Linli-Outbox") == "1"


class OutboxMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_outbox(request):
            return self.get_response(request)
        user = request.user
        client_id = request.headers.get("X-Linli-Client-Id", "")[:64]
        if not user.is_authenticated:
            return JsonResponse({"status": "signed_out"}, status=401)
        if request.headers.get("X-Linli-Account") != str(user.pk):
            # queued under another account: never sent under this one
            return JsonResponse({"status": "wrong_account"}, status=403)
        if not client_id:
            return JsonResponse({"status": "rejected", "errors": ["client id missing"]}, status=400)
        try:
            with transaction.atomic():
                ClientWrite.objects.create(
                    user=user, client_id=client_id, path=request.path[:300], status=0
                )
                response = self.get_response(request)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
                else:
                    ClientWrite.objects.filter(user=user, client_id=client_id).update(
                        status=response.status_code
                    )
        except IntegrityError:
            return JsonResponse({"status": "duplicate"})
        return self._answer(request, response)

    def _answer(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 409 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        if response.status_code >= 400:
            return JsonResponse(
                {"status": "rejected", "code": response.status_code}, status=response.status_code
            )
        errors = [str(m) for m in messages.get_messages(request) if m.level >= messages.ERROR]
        if errors:
            return JsonResponse({"status": "rejected", "errors": errors})
        return JsonResponse({"status": "done"})

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, Conflict):
            return None
        if _is_outbox(request):
            return JsonResponse({"status": "conflict", "fields": exception.fields}, status=409)
        return render(request, "offline/conflict.html", {"fields": exception.fields}, status=409)
