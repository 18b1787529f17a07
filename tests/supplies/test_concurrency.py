"""Two people issuing at the same moment never take the stock below zero (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from linli.supplies.models import Balance, LedgerEntry
from linli.supplies.services import SupplyError, do_issue_stock, do_receive_stock

from .helpers import locations, masks


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_concurrent_issues_never_go_below_zero(round_):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    from linli.places.models import Place
    from linli.places.services import do_load_divisions

    do_load_divisions()
    community = Place.objects.get(code="510107005002")
    warehouse, _ = locations(community.code)
    item = masks()
    do_receive_stock(actor=None, item=item, location=warehouse, quantity=25)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def issue(qty: int) -> None:
        try:
            barrier.wait()
            do_issue_stock(actor=None, item=item, location=warehouse, quantity=qty)
            outcomes.append("ok")
        except SupplyError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(3 + (i + round_) % 5,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    balance = Balance.objects.get(item=item, location=warehouse)
    issued = -sum(e.quantity for e in LedgerEntry.objects.filter(kind="issue"))
    assert balance.quantity == 25 - issued >= 0
    assert outcomes.count("ok") == LedgerEntry.objects.filter(kind="issue").count()
    assert "refused" in outcomes  # 8 people asking for 3–7 each cannot all be served from 25
