"""Batches sent at the same moment (PostgreSQL, real parallel transactions): a batch re-sent
by several clients at once is stored once, and different batches are all stored, none lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from linli.screening.ingest import do_record_screenings
from linli.screening.models import Screening
from tests.conftest import IN_COMMUNITY, build_neighbourhood

SENDERS = 6
RECORDS = 150


def send_together(actor, batches: list[list[dict]]) -> list[list]:
    barrier = threading.Barrier(len(batches))
    answers: list[list] = [[] for _ in batches]
    failures: list[BaseException] = []

    def send(i: int) -> None:
        try:
            barrier.wait()
            answers[i] = do_record_screenings(actor=actor, records=batches[i])
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    return answers


@pytest.fixture
def scene(live_places, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL; SQLite serialises them")
    n = build_neighbourhood(IN_COMMUNITY, "甲")
    return n, make_user("grid_worker")


def batch(household, tag: str) -> list[dict]:
    return [{"client_id": f"{tag}-{i:07d}", "household": household.pk} for i in range(RECORDS)]


@pytest.mark.django_db(transaction=True)
def test_the_same_batch_sent_by_several_clients_at_once_is_stored_once(scene):
    n, worker = scene
    same = batch(n.household, "resend")
    answers = send_together(worker, [same] * SENDERS)
    assert Screening.objects.filter(client_id__startswith="resend-").count() == RECORDS
    statuses = [o.status for answer in answers for o in answer]
    assert set(statuses) <= {"accepted", "duplicate"}
    assert statuses.count("accepted") == RECORDS  # each record accepted by exactly one send
    stored = dict(Screening.objects.values_list("client_id", "pk"))
    for answer in answers:  # every answer names the one stored row
        assert all(o.id == stored[o.client_id] for o in answer)


@pytest.mark.django_db(transaction=True)
def test_different_batches_sent_at_once_are_all_stored(scene):
    n, worker = scene
    answers = send_together(worker, [batch(n.household, f"c{i}") for i in range(SENDERS)])
    assert all(o.status == "accepted" for answer in answers for o in answer)
    assert Screening.objects.count() == SENDERS * RECORDS
