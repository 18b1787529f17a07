"""The screening API: batches of up to 1,000 records from other systems (and the phone
page's queue), one record at a time, each answered on its own."""

# No "from __future__ import annotations": django-ninja reads the annotations at runtime.

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel
from pydantic_core import to_json

from linli.accounts.roles import Can
from linli.domain.screening.records import NEEDS, SYMPTOMS

from .ingest import MAX_BATCH, Outcome, do_record_screenings

router = Router(tags=["screening"])


class ScreeningRecordIn(Schema):
    """One screening. Give the household, the resident, or both (the resident must live in
    that household)."""

    client_id: str = Field(
        ..., description="Made by the sender, unique per record (a UUID): re-sending is safe"
    )
    day: dt.date | None = Field(None, description="Day of the check; today when left out")
    household: int | None = Field(None, description="Household id (/api/register/households)")
    resident: int | None = Field(None, description="Resident id, when one person was checked")
    method: Literal["door", "phone", "self"] = "door"
    temperature: float | None = Field(None, ge=34, le=43, description="°C")
    symptoms: list[Literal[SYMPTOMS]] = Field(default_factory=list)  # type: ignore[valid-type]
    travel_from: str = Field("", max_length=100, description="Where from in the last 14 days")
    from_risk_area: bool = False
    case_contact: bool = False
    quarantine: Literal["none", "home", "centralised"] = "none"
    needs: list[Literal[NEEDS]] = Field(default_factory=list)  # type: ignore[valid-type]
    note: str = Field("", max_length=300)


def _record_items(schema: dict) -> None:
    # Records are taken as plain objects so that one bad record cannot refuse the batch;
    # the schema still documents what each record holds.
    record = ScreeningRecordIn.model_json_schema()
    record.pop("title", None)
    schema["properties"]["records"]["items"] = record


class BatchIn(BaseModel):  # a plain pydantic model: no per-item Django attribute lookups
    records: list[dict[str, Any]] = Field(..., max_length=MAX_BATCH)

    model_config = {"json_schema_extra": _record_items}


class ErrorOut(Schema):
    field: str
    reason: str


class ResultOut(Schema):
    index: int
    client_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    id: int | None
    errors: list[ErrorOut]


class BatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: int
    results: list[ResultOut]


def _answer(outcomes: list[Outcome]) -> dict:
    count = {"accepted": 0, "duplicate": 0, "rejected": 0}
    results = []
    for o in outcomes:
        count[o.status] += 1
        results.append(
            {
                "index": o.index,
                "client_id": o.client_id,
                "status": o.status,
                "id": o.id,
                "errors": [{"field": e.field, "reason": e.reason} for e in o.errors],
            }
        )
    return {
        "accepted": count["accepted"],
        "duplicates": count["duplicate"],
        "rejected": count["rejected"],
        "results": results,
    }


def _require(request: HttpRequest) -> None:
    if not request.user.can(Can.SCREEN):
        raise HttpError(403, "not allowed")


@router.post(
    "/batch",
    response=BatchOut,
    summary="Record up to 1,000 screenings",
)
def record_batch(request: HttpRequest, payload: BatchIn):
    """Each record is checked on its own and answered in ``results`` (same order, with its
    ``index``): ``accepted`` (stored, with its id), ``duplicate`` (its ``client_id`` was
    stored before: nothing is stored twice, so a batch can be re-sent after a timeout) or
    ``rejected`` with each problem's field and reason. Good records are stored even when
    others are rejected. Households and residents outside the token's place are rejected."""
    _require(request)
    # The answer is built as plain data and sent as is (BatchOut documents it): validating
    # 1,000 results again on the way out would cost as much as storing them. pydantic's
    # encoder writes it three times faster than json.dumps.
    answer = _answer(do_record_screenings(actor=request.user, records=payload.records))
    return HttpResponse(to_json(answer), content_type="application/json")
