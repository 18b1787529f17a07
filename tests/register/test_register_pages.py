"""Register list (filters, search by name / pinyin / phone / ID digits), resident and
household pages, merged residents hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from linli.domain import idcard
from linli.domain.disclosure import mask_id_number
from linli.domain.pinyin import search_key
from linli.guardianship.models import Assignment
from linli.register.models import ContactWindows, Resident, SourceRecord, Vulnerability, Ward
from linli.register.selectors import RegisterFilters, search_residents

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(inside):
    number = idcard.make("510107", dt.date(2015, 5, 5), 9, "M")
    child = Resident.objects.create(
        place=inside.building,
        name="刘小明",
        name_pinyin=search_key("刘小明"),
        id_number=number,
        phone="13912345678",
    )
    Vulnerability.objects.create(resident=child, category="left_behind_child")
    Ward.objects.create(resident=child, risk="low", needs=["child_care"])
    Resident.objects.filter(pk=inside.resident.pk).update(name_pinyin=search_key("甲老人"))
    Assignment.objects.create(ward=inside.ward, volunteer=inside.volunteer, role="primary")
    return child


def names(actor, query="", **filters):
    found = search_residents(actor, query, RegisterFilters(q=query, **filters))
    return sorted(r.name for r in found)


def test_search_by_name_pinyin_phone_and_id_digits(secretary, inside, people):
    assert names(secretary, "小明") == ["刘小明"]
    assert names(secretary, "liuxiaoming") == ["刘小明"]
    assert names(secretary, "lxm") == ["刘小明"]
    assert names(secretary, "LXM") == ["刘小明"]
    assert names(secretary, "1234567") == ["刘小明"]
    assert names(secretary, people.id_number[-4:]) == ["刘小明"]
    assert names(secretary, "jialaoren") == ["甲老人"]


def test_filters(secretary, inside, people):
    assert names(secretary, category="left_behind_child") == ["刘小明"]
    assert names(secretary, category="elderly_alone") == ["甲老人"]
    assert names(secretary, risk="high") == ["甲老人"]
    assert names(secretary, has_guardian="yes") == ["甲老人"]
    assert names(secretary, has_guardian="no") == ["刘小明"]
    assert names(secretary, place=inside.compound.code) == ["刘小明", "甲老人"]
    assert names(secretary, place=inside.community.code + "99") == []


def test_merged_residents_are_hidden_from_the_list(secretary, inside, people):
    Resident.objects.filter(pk=people.pk).update(merged_into=inside.resident)
    assert names(secretary) == ["甲老人"]


def test_list_page_filters_and_masks(secretary, inside, people):
    client = Client()
    client.force_login(secretary)
    body = client.get(reverse("register:list"), {"q": "lxm", "risk": "low"}).content.decode()
    assert "刘小明" in body and "甲老人" not in body
    assert people.id_number not in body and mask_id_number(people.id_number) in body


def test_resident_page_shows_care_window_sources_and_household(secretary, inside, people):
    ContactWindows.objects.create(place=inside.community, high_hours=6)
    SourceRecord.objects.create(
        community=inside.community,
        resident=inside.resident,
        source="民政台账",
        key="id:x",
        fields={"姓名": "甲老人"},
        digest="d",
        file_name="台账.xlsx",
        row_number=7,
        imported_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    client = Client()
    client.force_login(secretary)
    client.cookies.load({"django_language": "en"})
    body = client.get(reverse("register:resident", args=[inside.resident.pk])).content.decode()
    assert "every 6 hours" in body
    assert "民政台账" in body and "row 7" in body
    assert reverse("register:household", args=[inside.household.pk]) in body
    page = client.get(reverse("register:household", args=[inside.household.pk])).content.decode()
    assert "甲老人" in page and inside.resident.id_number not in page


def test_api_lists_filters_and_masks(secretary, inside, people):
    client = Client()
    client.force_login(secretary)
    data = client.get("/api/register/residents", {"q": "lxm"}).json()
    assert data["count"] == 1
    (item,) = data["items"]
    assert item["name"] == "刘小明" and item["id_number_masked"] == mask_id_number(people.id_number)
    assert people.id_number not in str(data)
    assert (item["categories"], item["risk"], item["needs"]) == (
        ["left_behind_child"],
        "low",
        ["child_care"],
    )
    one = client.get(f"/api/register/residents/{inside.resident.pk}").json()
    assert one["household"] == inside.household.pk and one["risk"] == "high"
    household = client.get(f"/api/register/households/{inside.household.pk}").json()
    assert [m["name"] for m in household["members"]] == ["甲老人"]
    schema = client.get("/api/openapi.json").json()
    assert "/api/register/residents" in schema["paths"]
