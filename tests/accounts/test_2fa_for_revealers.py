"""Issue 18, item 7: a grid worker revealed full ID numbers with a password only. Every role
that may reveal an ID number or change the register now needs the second factor."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.accounts.roles import ROLE_CAN, Can
from linli.accounts.twofactor import requires_2fa
from linli.register.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_2fa(settings):
    settings.LINLI_REQUIRE_2FA = True


def test_a_grid_worker_cannot_reveal_an_id_without_the_second_factor(
    make_user, inside, require_2fa
):
    user = make_user("grid_worker")
    client = Client()
    signed_in = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "pw-for-tests-1"}
    )
    assert signed_in.status_code == 302
    response = client.post(
        reverse("register:reveal_id", kwargs={"pk": inside.resident.pk}), {"reason": "check"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:twofactor_enrol")
    assert Resident.objects.get(pk=inside.resident.pk).id_number not in response.content.decode()
    edit = client.get(reverse("register:import_upload"))
    assert edit.status_code == 302 and edit["Location"] == reverse("accounts:twofactor_enrol")


@pytest.mark.parametrize("role", sorted(ROLE_CAN))
def test_every_role_that_reveals_or_edits_the_register_needs_2fa(
    role, make_user, inside, require_2fa
):
    user = make_user(role)
    sensitive = {Can.REVEAL_ID_NUMBER, Can.EDIT_REGISTER} & ROLE_CAN[role]
    if sensitive:
        assert requires_2fa(user), (role, sensitive)
