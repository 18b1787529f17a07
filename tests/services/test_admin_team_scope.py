"""Issue 18, item 6: a secretary added another community to her service team in the back
office, and that community's psychological requests were routed to her team. Many-to-many
choices are scoped like foreign keys: not offered, and refused when forged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.services.problem import teams_bound_to
from tests.common.test_scope_all_routes import service_case


def team_form(team, **changes) -> dict:
    data = {
        "name": team.name,
        "place": team.place_id,
        "communities": ",".join(str(c.pk) for c in team.communities.all()),
        "members": ",".join(str(m.pk) for m in team.members.all()),
        "lead": team.lead_id or "",
        "deputy": team.deputy_id or "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_secretary_cannot_add_another_community_to_her_team(make_user, inside, outside):
    team = service_case(inside).team
    client = Client()
    client.force_login(make_user("community_secretary"))
    url = reverse("admin:services_team_change", args=[team.pk])
    page = client.get(url)
    assert page.status_code == 200
    offered = page.context["adminform"].form.fields["communities"].queryset
    assert outside.community not in offered and inside.community in offered
    # The exploit: the change form posted with the other community's id added.
    response = client.post(
        url, team_form(team, communities=f"{inside.community.pk},{outside.community.pk}")
    )
    assert response.status_code == 200  # the form again, with the error
    assert "communities" in response.context["adminform"].form.errors
    assert list(team.communities.all()) == [inside.community]
    assert team not in teams_bound_to(outside.community.code)


@pytest.mark.django_db
def test_secretary_cannot_put_another_community_s_professional_on_her_team(
    make_user, inside, outside
):
    team = service_case(inside).team
    stranger = service_case(outside).professional
    client = Client()
    client.force_login(make_user("community_secretary"))
    url = reverse("admin:services_team_change", args=[team.pk])
    members = ",".join(str(m.pk) for m in team.members.all())
    response = client.post(url, team_form(team, members=f"{members},{stranger.pk}"))
    assert response.status_code == 200
    assert "members" in response.context["adminform"].form.errors
    assert stranger not in team.members.all()


@pytest.mark.django_db
def test_in_scope_changes_to_the_team_still_save(make_user, inside):
    team = service_case(inside).team
    client = Client()
    client.force_login(make_user("community_secretary"))
    url = reverse("admin:services_team_change", args=[team.pk])
    response = client.post(url, team_form(team, name="甲心理二队"))
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "甲心理二队"


@pytest.mark.django_db
def test_an_admin_whose_own_choices_are_wider_is_still_refused_on_save(make_user, inside, outside):
    """The second line: whatever queryset a subclass gives a field, saving a value outside
    the account's places is refused."""
    from django.contrib import admin as django_admin
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from linli.common.admin import ScopedAdmin
    from linli.places.models import Place
    from linli.services.models import Team

    class WideTeamAdmin(ScopedAdmin):
        fields = ["name", "place", "communities"]

        def formfield_for_manytomany(self, db_field, request, **kwargs):
            return super().formfield_for_manytomany(
                db_field, request, queryset=Place.objects.all(), **kwargs
            )

    team = service_case(inside).team
    request = RequestFactory().post("/")
    request.user = make_user("community_secretary")
    model_admin = WideTeamAdmin(Team, django_admin.site)
    form_class = model_admin.get_form(request, team)
    form = form_class(
        data={
            "name": team.name,
            "place": team.place_id,
            "communities": [inside.community.pk, outside.community.pk],
        },
        instance=team,
    )
    assert form.is_valid(), form.errors  # the subclass's choices let it through
    with pytest.raises(PermissionDenied):
        model_admin.save_form(request, form, change=True)
    assert list(team.communities.all()) == [inside.community]
