"""Service requests' JSON API: file a request for a resident in the caller's places (the same
triage and routing as the pages) and follow its course. Never a case note."""

# No "from __future__ import annotations": django-ninja reads the annotations at runtime.

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ValidationError

from linli.accounts.roles import Can
from linli.register.selectors import access_resident

from . import selectors, services
from .models import ServiceRequest

router = Router(tags=["services"])


class RequestIn(Schema):
    resident: int
    category: str
    description: str
    urgency: str = "normal"
    preferred_contact: str = "phone"
    preferred_times: str = ""
    language: str = ""
    guardian_consent: bool = False
    psych_consent: bool = False


class RequestOut(Schema):
    id: int
    place: str
    category: str
    urgency: str
    urgency_asked: str
    triage_reasons: list[str]  # reason codes only: the words matched stay with the case
    status: str
    queued_because: str
    professional: int | None
    created_at: dt.datetime
    first_response_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_place(obj: ServiceRequest) -> str:
        return obj.place.code

    @staticmethod
    def resolve_triage_reasons(obj: ServiceRequest) -> list[str]:
        return [reason for reason, _matched in obj.triage_reasons]

    @staticmethod
    def resolve_queued_because(obj: ServiceRequest) -> str:
        return obj.queue_reason

    @staticmethod
    def resolve_professional(obj: ServiceRequest) -> int | None:
        return obj.professional_id


def _body(request: HttpRequest) -> RequestIn:
    """JSON, or a form post; errors name each field (422)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except json.JSONDecodeError as error:
            raise HttpError(422, f"body: not JSON ({error.msg} at {error.pos})") from None
    else:
        data = request.POST.dict()
    try:
        return RequestIn.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors()
        )
        raise HttpError(422, problems) from None


@router.post(
    "/requests",
    response=RequestOut,
    summary="File a service request for a resident",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": RequestIn.model_json_schema()}},
            "required": True,
        }
    },
)
def create_service_request(request: HttpRequest):
    if not request.user.can(Can.ASK_SERVICE):
        raise HttpError(403, "not allowed")
    body = _body(request)
    resident = access_resident(request.user, body.resident)
    try:
        return services.do_create_request(
            actor=request.user,
            place=resident.place,
            resident=resident,
            channel="api",
            fields=body.dict(),
        )
    except services.ServiceError as error:
        raise HttpError(422, str(error)) from None


@router.get("/requests/{request_id}", response=RequestOut, summary="A service request's course")
def get_service_request(request: HttpRequest, request_id: int):
    try:
        return selectors.access_request(request.user, request_id).request
    except PermissionDenied:
        raise HttpError(403, "not allowed") from None
