"""Issue 18, item 7: after logging a contact, ``next=https://evil.example/`` sent the guardian
off the site. Every ``next`` is now read through ``linli.common.views.next_url``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import linli

SRC = Path(linli.__file__).resolve().parent
OFF_SITE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
    " https://evil.example/",
]


def leaves_site(location: str) -> bool:
    return not location.startswith("/") or location.startswith(("//", "/\\"))


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_logging_a_contact_never_redirects_off_the_site(secretary, inside, target):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("guardianship:log_contact", kwargs={"pk": inside.ward.pk}),
        {"method": "phone", "provided": "meals", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("guardianship:my_wards")
    assert inside.ward.resident.pk and not leaves_site(response["Location"])


@pytest.mark.django_db
def test_logging_a_contact_returns_to_a_page_of_the_site(secretary, inside):
    client = Client()
    client.force_login(secretary)
    back = reverse("guardianship:coverage", kwargs={"code": inside.community.code})
    response = client.post(
        reverse("guardianship:log_contact", kwargs={"pk": inside.ward.pk}),
        {"method": "visit", "next": back},
    )
    assert response["Location"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFF_SITE)
def test_sealing_a_compound_never_redirects_off_the_site(secretary, inside, target):
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("places:seal", kwargs={"code": inside.compound.code}),
        {"action": "seal", "reason": "test", "next": target},
    )
    assert response.status_code == 302 and not leaves_site(response["Location"])


def test_next_is_read_in_one_place_only():
    """A new view reading ``next`` itself would bring the open redirect back."""
    pattern = re.compile(r"""(POST|GET|REQUEST)(\.get\(|\[)\s*["']next["']""")
    readers = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text()) and path.relative_to(SRC) != Path("common/views.py")
    ]
    assert readers == []
