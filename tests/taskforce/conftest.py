import pytest
from django.utils import translation

from tests.conftest import IN_COMMUNITY, OUT_COMMUNITY  # noqa: F401

NEIGHBOUR = "510107005001"  # another community of 玉林街道


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the zh-hans wording is checked where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture
def builtin_version(db):
    from linli.taskforce.playbook_services import builtin

    return builtin().latest()


@pytest.fixture
def adopted(secretary, inside, builtin_version):
    """The inside community's task force, set up from the built-in playbook."""
    from linli.taskforce.playbook_services import do_adopt_playbook

    return do_adopt_playbook(actor=secretary, community=inside.community, version=builtin_version)


@pytest.fixture
def client():
    """Pages in English (the default is zh-hans)."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
