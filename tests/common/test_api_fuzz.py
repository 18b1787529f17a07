"""Schemathesis against the OpenAPI schema: generated requests (valid and invalid) to every
operation, with a scoped token, never get a server error or a response outside the schema."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from linli.api import api
from linli.wsgi import application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = application


@pytest.fixture
def keep_connection():
    """Requests go through the WSGI application, which closes the database connection when a
    request finishes; like Django's test client, keep it open so the test's data stays."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(secretary, inside):
    from linli.accounts.services import do_create_token

    _token, raw = do_create_token(
        actor=secretary, name="fuzz", purpose="register_read", place=inside.community
    )
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("LINLI_FUZZ_EXAMPLES", "25")),
    derandomize=os.environ.get("LINLI_FUZZ_RANDOM") != "1",  # CI: the same cases every run
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errors_nor_leaves_its_schema(case, token, keep_connection):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_a_huge_offset_or_limit_is_a_422_not_a_server_error(token, inside):
    """Found by the run above: an offset beyond a 64-bit integer overflowed the database."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for query in ("offset=292771918384554519298048", "limit=319478845516286814390098853888"):
        response = client.get(f"/api/register/residents?{query}")
        assert response.status_code == 422, query
        assert query.split("=")[0] in response.content.decode()
    assert client.get("/api/register/residents?offset=0&limit=500").status_code == 200
