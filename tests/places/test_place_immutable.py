"""Issue 18, item 1: a community secretary set her own community's code to ``510`` in the
back office and then saw the whole city. A place's code, parent and level are fixed once it
exists; only the audited recode service changes them, and no account's scope widens."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from linli.places.models import Place


def change_form(place: Place, **changes) -> dict:
    data = {
        "code": place.code,
        "name": place.name,
        "level": place.level,
        "parent": place.parent_id or "",
        "x": "" if place.x is None else place.x,
        "y": "" if place.y is None else place.y,
    }
    if place.sealed:
        data["sealed"] = "on"
    data.update(changes)
    return data


@pytest.mark.django_db
def test_secretary_recoding_her_community_in_the_admin_does_not_reach_the_city(
    make_user, inside, outside
):
    secretary = make_user("community_secretary")
    client = Client()
    client.force_login(secretary)
    url = reverse("admin:places_place_change", args=[inside.community.pk])
    # The exploit as reported: open her own community, set the code to 510, save (the
    # street above is not hers, so the form refuses it until the parent is cleared).
    client.get(url)
    client.post(url, change_form(inside.community, code="510", parent=""))
    inside.community.refresh_from_db()
    assert inside.community.code == "510107005002"
    # And her scope is still her community: the other community's resident is not hers.
    response = client.get(reverse("register:resident", args=[outside.resident.pk]))
    assert response.status_code == 404
    assert "乙老人" not in client.get(reverse("register:list"), {"q": "乙"}).content.decode()


@pytest.mark.django_db
def test_nobody_edits_their_own_place_or_its_ancestors_in_the_admin(make_user, inside):
    secretary = make_user("community_secretary")
    client = Client()
    client.force_login(secretary)
    own = reverse("admin:places_place_change", args=[inside.community.pk])
    response = client.post(own, change_form(inside.community, name="改名"))
    assert response.status_code == 403
    inside.community.refresh_from_db()
    assert inside.community.name == "玉林东路社区居委会"
    admin_user = make_user("system_admin")
    client.force_login(admin_user)
    city = Place.objects.get(code="5101")
    response = client.post(
        reverse("admin:places_place_change", args=[city.pk]), change_form(city, name="改名")
    )
    assert response.status_code == 403
    assert Place.objects.get(code="5101").name == "成都市"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["community_secretary", "system_admin"])
def test_code_parent_and_level_are_read_only_in_the_admin_below_one_own_place(
    role, make_user, inside, outside
):
    client = Client()
    client.force_login(make_user(role))
    url = reverse("admin:places_place_change", args=[inside.compound.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"code", "parent", "level"} & set(form.fields)
    response = client.post(
        url,
        change_form(
            inside.compound, code="510", level="city", parent=outside.grid.pk, name="甲花园新名"
        ),
    )
    assert response.status_code == 302
    inside.compound.refresh_from_db()
    assert (inside.compound.code, inside.compound.level, inside.compound.parent_id) == (
        inside.grid.code + "01",
        "compound",
        inside.grid.pk,
    )
    assert inside.compound.name == "甲花园新名"  # what may change, changes


@pytest.mark.django_db
def test_saving_a_changed_code_parent_or_level_is_refused_by_the_model(inside, outside):
    for field, value in (("code", "510"), ("parent", outside.grid), ("level", "city")):
        place = Place.objects.get(pk=inside.compound.pk)
        setattr(place, field, value)
        with pytest.raises(ValueError, match=field):
            place.save()
    inside.compound.refresh_from_db()
    assert inside.compound.code == inside.grid.code + "01"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"code": "510"},
        {"level": "city"},
        {"parent_id": None},
    ],
)
def test_the_database_refuses_a_bulk_update_of_code_parent_or_level(change, inside):
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Place.objects.filter(pk=inside.community.pk).update(**change)
    inside.community.refresh_from_db()
    assert inside.community.code == "510107005002"
    assert inside.community.level == "community"
    assert inside.community.parent.code == "510107005"


@pytest.mark.django_db
def test_other_fields_still_update_in_bulk(inside):
    Place.objects.filter(pk=inside.compound.pk).update(name="新名", sealed=True, x=1.0)
    inside.compound.refresh_from_db()
    assert (inside.compound.name, inside.compound.sealed, inside.compound.x) == ("新名", True, 1.0)


@pytest.mark.django_db
def test_places_loaded_with_deferred_fields_cost_no_query_and_still_refuse(
    inside, django_assert_num_queries
):
    with django_assert_num_queries(1):
        places = list(Place.objects.filter(code__startswith=inside.community.code).only("name"))
    place = next(p for p in places if p.pk == inside.compound.pk)
    place.name = "新名"
    place.save(update_fields=["name"])
    place.code = "510"
    with pytest.raises(ValueError, match="code"):
        place.save()
    assert Place.objects.get(pk=inside.compound.pk).name == "新名"
