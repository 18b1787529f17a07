"""The JSON API (django-ninja): one NinjaAPI, each capability adds its router."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from linli.places.api import router as places_router
from linli.register.api import router as register_router
from linli.screening.api import router as screening_router
from linli.services.api import router as services_router
from linli.taskforce.api import router as taskforce_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the request acts as the token's maker, limited to
    the token's place subtree and purpose."""

    def authenticate(self, request, token):
        from linli.accounts.services import actor_for_token

        actor = actor_for_token(token, request.method, request.path)
        if actor is not None:
            request.user = actor
        return actor


# Answers any operation may give besides its own: documented once for all of them, so
# clients (and the schemathesis run in the tests) know every status code to expect.
COMMON_ERRORS = {
    "401": "No token or session, or the token's purpose does not cover this operation",
    "403": "Signed in, but the role may not do this",
    "404": "No such object in the caller's place",
    "422": "The request's parameters or body are not valid; detail says which and why",
}
ERROR_BODY = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"title": "Detail"}},
                "required": ["detail"],
            }
        }
    }
}


class LinliAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in COMMON_ERRORS.items():
                    responses.setdefault(code, {"description": text, **ERROR_BODY})
        return schema


api = LinliAPI(
    title="Linli API",
    version="1",
    description="Community emergency care. Every operation is scoped to the caller's place.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/places", places_router)
api.add_router("/register", register_router)
api.add_router("/services", services_router)
api.add_router("/taskforce", taskforce_router)
api.add_router("/screenings", screening_router)
