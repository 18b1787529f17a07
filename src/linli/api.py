"""The JSON API (django-ninja): one NinjaAPI, each capability adds its router."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from linli.places.api import router as places_router
from linli.register.api import router as register_router
from linli.screening.api import router as screening_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the request acts as the token's maker, limited to
    the token's place subtree and purpose."""

    def authenticate(self, request, token):
        from linli.accounts.services import actor_for_token

        actor = actor_for_token(token, request.method, request.path)
        if actor is not None:
            request.user = actor
        return actor


api = NinjaAPI(
    title="Linli API",
    version="1",
    description="Community emergency care. Every operation is scoped to the caller's place.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/places", places_router)
api.add_router("/register", register_router)
api.add_router("/screenings", screening_router)
