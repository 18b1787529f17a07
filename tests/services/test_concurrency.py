"""At the same moment, eight requests never push a professional past their load limit, and two
escalation workers never open (or send) the same escalation twice (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from linli.notifications.models import Notification
from linli.services.models import CaseEscalation, ServiceRequest
from tests.conftest import IN_COMMUNITY, build_neighbourhood

from .conftest import T0, build_scene, file


def postgres_scene():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers anyway")
    from linli.places.services import do_load_divisions

    do_load_divisions()
    return build_scene(build_neighbourhood(IN_COMMUNITY, "甲"))


def together(n, work):
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            work(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_respect_the_load_limit():
    scene = postgres_scene()  # at T0 only the psychologist is on duty, at most 3 open cases
    together(8, lambda i: file(scene, description=f"第{i}个求助"))
    assigned = ServiceRequest.objects.filter(professional=scene.psychologist).count()
    assert assigned == scene.psychologist.load_limit == 3
    queued = ServiceRequest.objects.filter(professional__isnull=True)
    assert queued.count() == 5 and set(queued.values_list("queue_reason", flat=True)) == {
        "at_load_limit"
    }


@pytest.mark.django_db(transaction=True)
def test_two_escalation_workers_open_each_escalation_once():
    from linli.services.services import do_escalate_cases

    scene = postgres_scene()
    scene.team.communities.clear()
    for _ in range(3):
        file(scene, description="不想活了")
    later = T0 + dt.timedelta(minutes=20)
    together(4, lambda i: do_escalate_cases(now=later))
    assert CaseEscalation.objects.count() == 3 * 2  # lead and secretary rungs, once each
    assert Notification.objects.filter(kind="service_overdue").count() == 3 * 2
