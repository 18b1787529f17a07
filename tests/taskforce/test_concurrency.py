"""The same alert raised by several workers at the same moment makes one task (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from linli.taskforce.models import Task


@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_of_one_alert_make_one_task():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions; SQLite serialises writers anyway")
    from linli.places.models import Place
    from linli.places.services import do_load_divisions
    from linli.taskforce.playbook_services import builtin, do_adopt_playbook
    from linli.taskforce.services import raise_task

    do_load_divisions()
    community = Place.objects.get(code="510107005002")
    do_adopt_playbook(actor=None, community=community, version=builtin().latest())
    barrier = threading.Barrier(8)
    raised: list[int | None] = []

    def alert() -> None:
        try:
            barrier.wait()
            task = raise_task(community, "logistics", "补充口罩", "supplies.low_stock:1")
            raised.append(task.pk if task else None)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=alert) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    task = Task.objects.get()
    assert raised == [task.pk] * 8
