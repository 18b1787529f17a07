import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the zh-hans wording is checked where it matters."""
    with translation.override("en"):
        yield
