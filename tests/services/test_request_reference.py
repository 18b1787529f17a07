"""Issue 18, item 7: a request link's confirmation showed the row number ("your request number
is 4127"), so two requests a day apart told anyone how many people had asked for help. The
confirmation now shows a random reference that says nothing about volume."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from linli.services.links import make_link
from linli.services.models import REFERENCE_ALPHABET, ServiceRequest

pytestmark = pytest.mark.django_db
SHAPE = re.compile(rf"[{REFERENCE_ALPHABET}]{{5}}-[{REFERENCE_ALPHABET}]{{5}}")


def ask(client: Client, url: str) -> str:
    answer = client.post(
        url,
        {"category": "daily", "description": "买菜", "contact_name": "王", "contact_phone": "138"},
    )
    assert answer.status_code == 200 and b"ask-done" in answer.content
    return answer.content.decode()


def test_the_confirmation_shows_a_random_reference_not_the_row_number(scene):
    url = reverse("services:ask", args=[make_link(community_code=scene.community.code)])
    pages = []
    for _ in range(3):
        cache.clear()  # the per-address limit is not what this test is about
        pages.append(ask(Client(), url))
    requests = list(ServiceRequest.objects.order_by("pk"))
    assert len(requests) == 3
    for page, request in zip(pages, requests, strict=True):
        shown = re.search(r'id="ask-done".*?</h1>(.*?)</p>', page, re.S).group(1)
        assert request.reference in shown and SHAPE.fullmatch(request.reference)
        assert not re.search(rf"(?<![0-9A-Z]){request.pk}(?![0-9A-Z])", shown)
    assert len({r.reference for r in requests}) == 3


def test_references_are_unique_and_not_in_order(scene):
    from .conftest import file

    references = [file(scene).reference for _ in range(40)]
    assert len(set(references)) == 40
    assert references != sorted(references)
    assert all(SHAPE.fullmatch(r) for r in references)
