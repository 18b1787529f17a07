"""The JSON API (django-ninja): one NinjaAPI, each capability adds its router."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from linli.places.api import router as places_router
from linli.register.api import router as register_router

api = NinjaAPI(
    title="Linli API",
    version="1",
    description="Community emergency care. Every operation is scoped to the caller's place.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/places", places_router)
api.add_router("/register", register_router)
