"""Two volunteers taking the same run at the same moment: one wins, the other is told
(SQLite and PostgreSQL, real threads on their own connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from linli.deliveries.models import Run
from linli.deliveries.services import (
    DeliveryError,
    Line,
    do_pack_from_stock,
    do_place_order,
    do_plan_runs,
    do_take_run,
)

from .conftest import make_sealed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_volunteers_taking_one_run_at_once_one_wins(live_places, make_user, round_):
    from linli.accounts.models import User
    from linli.guardianship.models import Volunteer
    from tests.conftest import IN_COMMUNITY, build_neighbourhood

    sealed = make_sealed(build_neighbourhood(IN_COMMUNITY, "甲"), make_user)
    second = User.objects.create_user(
        username="second", password="pw-for-tests-1", role="volunteer", place=sealed.n.community
    )
    Volunteer.objects.create(place=sealed.n.compound, name="第二位", account=second)
    order = do_place_order(
        actor=sealed.guardian_user,
        ward=sealed.n.ward,
        lines=[Line(sealed.rice, "", 1)],
        payer="self",
        urgency="normal",
    )
    do_pack_from_stock(actor=None, location=sealed.location, orders=[order])
    do_plan_runs(actor=None, community=sealed.n.community)
    run = Run.objects.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(user) -> None:
        try:
            barrier.wait()
            do_take_run(actor=user, run=Run.objects.get(pk=run.pk))
            outcomes.append("won")
        except DeliveryError:
            outcomes.append("told")
        finally:
            connections.close_all()

    users = [sealed.guardian_user, second][:: 1 if round_ % 2 else -1]
    threads = [threading.Thread(target=take, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["told", "won"]
    run.refresh_from_db()
    assert run.carrier is not None and run.status == "taken"
