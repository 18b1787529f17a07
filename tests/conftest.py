"""Shared fixtures: the real Chengdu places loaded once per test database, two small
communities with people in them (one in scope of the demo roles, one outside), and
an account factory per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from linli.common.i18n import compile_catalogues

IN_COMMUNITY = "510107005002"  # 武侯区 玉林街道 玉林东路社区
OUT_COMMUNITY = "510104017001"  # 锦江区 锦官驿街道 水井坊社区


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("django"):
        return  # domain tests run with -p no:django
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    compile_catalogues()


def pytest_collection_modifyitems(config, items):
    """Tests that flush the database (transactional, browser) run last, browser tests at the
    very end: they keep an event loop open."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)

    def order(item) -> int:
        if "tests/browser/" in str(item.fspath):
            return 2
        marker = item.get_closest_marker("django_db")
        flushes = "transactional_db" in item.fixturenames or (
            marker and marker.kwargs.get("transaction")
        )
        return 1 if flushes else 0

    items.sort(key=order)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from linli.places.services import do_load_divisions

    with django_db_blocker.unblock():
        do_load_divisions()


@pytest.fixture
def live_places(transactional_db):
    """The places, committed: for tests whose subprocesses or threads read the database."""
    from linli.places.services import do_load_divisions

    do_load_divisions()


@dataclass
class Neighbourhood:
    """A community with a grid, a compound, a building, a household, residents and a volunteer."""

    community: object
    grid: object
    compound: object
    building: object
    household: object
    resident: object
    ward: object
    volunteer: object
    checkpoint: object
    job: object


def build_neighbourhood(community_code: str, tag: str) -> Neighbourhood:
    from linli.domain import idcard
    from linli.guardianship.models import Volunteer
    from linli.jobs.models import Job
    from linli.places.models import Place
    from linli.register.models import Household, Resident, Vulnerability, Ward
    from linli.rostering.models import Checkpoint

    community = Place.objects.get(code=community_code)
    grid = Place.objects.create(
        code=community_code + "01", name=f"{tag}第1网格", level="grid", parent=community
    )
    compound = Place.objects.create(
        code=grid.code + "01", name=f"{tag}花园", level="compound", parent=grid, x=100.0, y=200.0
    )
    building = Place.objects.create(
        code=compound.code + "001", name="1栋", level="building", parent=compound
    )
    household = Household.objects.create(
        code=building.code + "1101",
        place=building,
        unit="1单元",
        room="101",
        address=f"{tag}花园1栋1单元101",
    )
    number = idcard.make(community_code[:6], dt.date(1940, 3, 5), 7, idcard.FEMALE)
    resident = Resident.objects.create(
        place=building,
        household=household,
        relation="户主",
        name=f"{tag}老人",
        id_number=number,
        sex="F",
        birth_date=dt.date(1940, 3, 5),
        phone="13800000000",
    )
    Vulnerability.objects.create(
        resident=resident, category="elderly_alone", source="civil_affairs"
    )
    ward = Ward.objects.create(resident=resident, risk="high", needs=["meals"])
    volunteer = Volunteer.objects.create(place=compound, name=f"{tag}志愿者", skills=["nursing"])
    checkpoint = Checkpoint.objects.create(
        code=compound.code + "K1", name=f"{tag}东门", place=compound
    )
    job = Job.objects.create(kind="import", place=compound, message=f"{tag}花园 import")
    return Neighbourhood(
        community, grid, compound, building, household, resident, ward, volunteer, checkpoint, job
    )


@pytest.fixture
def inside(db) -> Neighbourhood:
    return build_neighbourhood(IN_COMMUNITY, "甲")


@pytest.fixture
def outside(db) -> Neighbourhood:
    return build_neighbourhood(OUT_COMMUNITY, "乙")


# The place each role is bound to in tests; grid-level roles use the inside grid.
ROLE_PLACES = {
    "city_officer": "5101",
    "district_officer": IN_COMMUNITY[:6],
    "street_officer": IN_COMMUNITY[:9],
    "community_secretary": IN_COMMUNITY,
    "grid_worker": IN_COMMUNITY + "01",
    "taskforce_lead": IN_COMMUNITY,
    "volunteer": IN_COMMUNITY,
    "social_org_coordinator": IN_COMMUNITY[:9],
    "professional_volunteer": IN_COMMUNITY,
    "system_admin": "5101",
}


@pytest.fixture
def make_user(db):
    from linli.accounts.models import User
    from linli.accounts.roles import ROLE_CAN, Can
    from linli.places.models import Place

    def make(role: str, place_code: str | None = None):
        place = Place.objects.get(code=place_code or ROLE_PLACES[role])
        return User.objects.create_user(
            username=f"{role}-{place.code}",
            password="pw-for-tests-1",
            role=role,
            place=place,
            is_staff=Can.USE_ADMIN in ROLE_CAN[role],
        )

    return make


@pytest.fixture
def secretary(make_user, inside):
    return make_user("community_secretary")


@pytest.fixture(autouse=True)
def _primary_only(request):
    """Reads stay on the primary unless a test asks for the replica (tests/common/
    test_replica.py): the ``replica`` alias mirrors the primary's test database, and a
    test may only query the aliases it declares."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        settings.LINLI_REPLICA_READS = False
        yield
        settings.LINLI_REPLICA_READS = True
    else:
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty cache (cached totals belong to another test's data)."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.core.cache import cache

        cache.clear()
