"""Issue 18, item 7: a system administrator could edit their own role, place and superuser
flag in the back office (and so reach case notes, which the README says they never read).
No account changes its own role, place or flags."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.accounts.models import User
from linli.places.models import Place
from tests.common.admin_forms import form_data

SELF_FIELDS = {
    "role",
    "place",
    "is_superuser",
    "is_staff",
    "is_active",
    "groups",
    "user_permissions",
}


@pytest.mark.django_db
def test_system_administrator_cannot_promote_or_move_themselves(make_user, inside, outside):
    admin_user = make_user("system_admin")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    # The exploit: the own account's form posted with a new role, place and flags.
    data.update(
        role=["professional_volunteer"],
        place=[str(outside.community.pk)],
        is_superuser=["on"],
        email=["admin@example.org"],
    )
    response = client.post(url, data)
    assert response.status_code in {200, 302}
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.place.code, admin_user.is_superuser) == (
        "system_admin",
        "5101",
        False,
    )
    assert admin_user.email == "admin@example.org"  # the rest of the own account still saves
    assert not SELF_FIELDS & set(page.context["adminform"].form.fields)


@pytest.mark.django_db
def test_an_administrator_still_manages_other_accounts(make_user, inside):
    admin_user = make_user("system_admin")
    other = make_user("grid_worker")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    page = client.get(url)
    data = form_data(page.content.decode())
    assert {"role", "place"} <= set(data)
    data.update(role=["community_secretary"], place=[str(inside.community.pk)])
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    other.refresh_from_db()
    assert (other.role, other.place) == (
        "community_secretary",
        Place.objects.get(pk=inside.community.pk),
    )
    assert User.objects.get(pk=admin_user.pk).role == "system_admin"
