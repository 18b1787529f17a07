"""Real parallel transactions: two secretaries pin the same volunteer at the same moment."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection
from django.utils.translation import override

from linli.guardianship.models import Assignment
from linli.guardianship.services import GuardianshipError, do_pin_guardian


@pytest.fixture
def two_wards(live_places):
    from linli.register.models import Resident, Ward
    from tests.conftest import IN_COMMUNITY, build_neighbourhood

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    n.volunteer.capacity = 1
    n.volunteer.save()
    other = Resident.objects.create(place=n.building, name="甲老人二")
    second = Ward.objects.create(resident=other, risk="high")
    return n, second


def test_pins_never_take_a_volunteer_beyond_capacity_on_a_second_try(two_wards):
    n, second = two_wards
    do_pin_guardian(actor=None, ward=n.ward, role="primary", volunteer=n.volunteer)
    with override("en"), pytest.raises(GuardianshipError, match="already pinned to 1 wards"):
        do_pin_guardian(actor=None, ward=second, role="primary", volunteer=n.volunteer)
    assert Assignment.objects.filter(volunteer=n.volunteer, role="primary").count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="parallel write transactions need PostgreSQL (SQLite takes one writer at a time)",
)
def test_parallel_pins_never_take_a_volunteer_beyond_capacity(two_wards):
    n, second = two_wards
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pin(ward):
        try:
            barrier.wait()
            do_pin_guardian(actor=None, ward=ward, role="primary", volunteer=n.volunteer)
            outcomes.append("pinned")
        except GuardianshipError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pin, args=(w,)) for w in (n.ward, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["pinned", "refused"]
    assert Assignment.objects.filter(volunteer=n.volunteer, role="primary").count() == 1


@pytest.fixture
def live_places(transactional_db):
    from linli.places.services import do_load_divisions

    do_load_divisions()
