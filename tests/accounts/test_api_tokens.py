"""API tokens: stored hashed, shown once, scoped to a place and a purpose, revocable."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from linli.accounts.models import ApiToken
from linli.accounts.services import do_create_token
from linli.accounts.tokens import digest

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def residents(client: Client, raw: str):
    return client.get("/api/register/residents", **bearer(raw))


def test_a_secretary_makes_a_token_on_the_page_and_sees_it_once(secretary, inside):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("accounts:api_tokens"),
        {"name": "筛查批量上传", "purpose": "register_read", "place": inside.community.code},
    )
    assert response.status_code == 200
    raw = re.search(r'id="new-token"[^>]*>([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.digest == digest(raw) and raw not in (token.digest, token.shown)
    assert raw.startswith(token.shown) and len(token.shown) < len(raw) // 2
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert raw not in again and token.shown in again


def test_a_token_cannot_be_made_outside_the_makers_area(secretary, outside):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("accounts:api_tokens"),
        {"name": "x", "purpose": "register_read", "place": outside.community.code},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationError) as error:
        do_create_token(actor=secretary, name="x", purpose="register_read", place=outside.community)
    assert "place" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_token_reads_only_its_place_subtree(secretary, inside, outside):
    from linli.places.models import Place
    from linli.register.models import Resident

    other_grid = Place.objects.create(
        code=inside.community.code + "09", name="丙网格", level="grid", parent=inside.community
    )
    Resident.objects.create(place=other_grid, name="丙邻居")
    _token, raw = do_create_token(
        actor=secretary, name="grid one", purpose="register_read", place=inside.grid
    )
    response = residents(Client(), raw)
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["items"]]
    assert inside.resident.name in names
    assert "丙邻居" not in names and outside.resident.name not in names
    other = Client().get(f"/api/register/residents/{outside.resident.pk}", **bearer(raw))
    assert other.status_code == 404


def test_a_token_is_limited_to_its_purpose_and_to_reading(secretary, inside):
    _token, raw = do_create_token(
        actor=secretary, name="places", purpose="places_read", place=inside.community
    )
    client = Client()
    assert client.get("/api/places/", **bearer(raw)).status_code == 200
    assert residents(client, raw).status_code == 401
    _token, reg = do_create_token(
        actor=secretary, name="reg", purpose="register_read", place=inside.community
    )
    assert client.get("/api/places/", **bearer(reg)).status_code == 401
    assert client.post("/api/register/residents", **bearer(reg)).status_code in {401, 405}


def test_revoked_and_unknown_tokens_are_refused_and_use_is_recorded(secretary, inside):
    token, raw = do_create_token(
        actor=secretary, name="x", purpose="register_read", place=inside.community
    )
    client = Client()
    assert token.last_used_at is None
    assert residents(client, raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert residents(client, raw + "x").status_code == 401
    web = Client()
    web.force_login(secretary)
    assert web.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert residents(client, raw).status_code == 401


def test_a_token_stops_working_when_its_maker_is_deactivated(secretary, inside):
    _token, raw = do_create_token(
        actor=secretary, name="x", purpose="register_read", place=inside.community
    )
    secretary.is_active = False
    secretary.save()
    assert residents(Client(), raw).status_code == 401


def test_roles_below_secretary_cannot_manage_tokens(make_user, inside):
    client = Client()
    client.force_login(make_user("grid_worker"))
    assert client.get(reverse("accounts:api_tokens")).status_code == 403


def test_a_token_revoked_by_another_process_is_refused_at_the_next_check(
    secretary, inside, monkeypatch
):
    """The actor is kept per process; the database is asked again once RECHECK_SECONDS
    have passed, so a revocation made elsewhere (here: straight in the table) takes hold."""
    from django.utils import timezone

    from linli.accounts import services

    token, raw = do_create_token(
        actor=secretary, name="x", purpose="register_read", place=inside.community
    )
    client = Client()
    assert residents(client, raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    monkeypatch.setattr(services, "RECHECK_SECONDS", 0.0)
    assert residents(client, raw).status_code == 401


def test_a_maker_deactivated_or_given_another_role_after_use_stops_the_token(
    secretary, inside, monkeypatch
):
    from linli.accounts import services
    from linli.accounts.models import User

    monkeypatch.setattr(services, "RECHECK_SECONDS", 0.0)
    _token, raw = do_create_token(
        actor=secretary, name="x", purpose="register_read", place=inside.community
    )
    client = Client()
    assert residents(client, raw).status_code == 200
    User.objects.filter(pk=secretary.pk).update(role="volunteer")
    assert residents(client, raw).status_code == 403  # built again: a volunteer's rights
    User.objects.filter(pk=secretary.pk).update(is_active=False)
    assert residents(client, raw).status_code == 401
