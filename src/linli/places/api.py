from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .selectors import access_place, children_of, top_places

router = Router(tags=["places"])


class PlaceOut(Schema):
    code: str
    name: str
    level: str
    sealed: bool


@router.get("/", response=list[PlaceOut], summary="Top places in the caller's scope")
def list_places(request: HttpRequest):
    return list(top_places(request.user))


@router.get("/{code}", response=PlaceOut, summary="One place")
def get_place(request: HttpRequest, code: str):
    return access_place(request.user, code)


@router.get("/{code}/children", response=list[PlaceOut], summary="A place's children")
def list_children(request: HttpRequest, code: str):
    return list(children_of(request.user, access_place(request.user, code)))
