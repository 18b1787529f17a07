"""The officers' read-only pages read from a streaming replica, and whoever just wrote
reads from the primary (read-your-writes). The router's rules on any database; the real
thing against the replica ``scripts/replica.sh`` starts on 127.0.0.1:5433 (``.ci/run``),
with the replica's replay paused to stand for lag."""

from __future__ import annotations

import os
import time

import dj_database_url
import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.common import replica
from linli.register.models import Resident
from linli.screening.models import DailyReport


class Request:
    def __init__(self, method="GET", cookies=None):
        self.method, self.COOKIES = method, cookies or {}


def test_reads_of_a_replica_view_go_to_the_replica_and_writes_never(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    router = replica.ReplicaRouter()
    seen = []
    view = replica.reads_from_replica(lambda request: seen.append(router.db_for_read(Resident)))
    view(Request())
    view(Request("POST"))
    view(Request(cookies={replica.PIN_COOKIE: f"{time.time() - 1:.3f}"}))  # just wrote
    view(Request(cookies={replica.PIN_COOKIE: f"{time.time() - 3600:.3f}"}))  # long ago
    view(Request(cookies={replica.PIN_COOKIE: "nonsense"}))
    assert seen == ["replica", None, None, "replica", "replica"]
    assert router.db_for_read(Resident) is None  # outside such a view: the primary
    with replica.replica_reads():
        assert router.db_for_write(Resident) == "default"
    assert router.allow_migrate("replica", "register") is False


@pytest.mark.django_db
def test_a_write_request_pins_its_sender_to_the_primary(monkeypatch, secretary, inside):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    client = Client()
    client.force_login(secretary)
    day = timezone.localdate().isoformat()
    client.post(f"/screening/reports/{inside.community.code}/{day}/submit/", {"notes": "x"})
    wrote = float(client.cookies[replica.PIN_COOKIE].value)
    assert abs(time.time() - wrote) < 5
    assert client.cookies[replica.PIN_COOKIE]["max-age"] == settings.LINLI_REPLICA_PIN_SECONDS
    assert replica.PIN_COOKIE not in Client().get("/").cookies


# A streaming replica exists only for PostgreSQL: the SQLite run never has one.
needs_replica = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"]
    or ("replica" not in settings.DATABASES and os.environ.get("LINLI_REQUIRE_REPLICA") != "1"),
    reason="no DATABASE_REPLICA_URL (scripts/replica.sh starts one; .ci/run requires it on PostgreSQL)",
)


@pytest.fixture
def real_replica():
    """The ``replica`` alias on the real replica, reading the primary's test database."""
    assert "replica" in settings.DATABASES, "LINLI_REQUIRE_REPLICA=1 but no DATABASE_REPLICA_URL"
    url = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    conn = connections["replica"]
    saved = dict(conn.settings_dict)
    conn.close()
    conn.settings_dict.update(
        HOST=url["HOST"], PORT=url["PORT"], NAME=connections["default"].settings_dict["NAME"]
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0] is True, "the replica alias must be a standby"
        yield conn
    finally:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)


def caught_up(conn) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    for _ in range(100):
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up in 5 s")


@needs_replica
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_officer_pages_read_the_replica_and_the_writer_reads_her_write(
    real_replica, live_places, make_user, settings
):
    settings.LINLI_REPLICA_READS = True
    from tests.conftest import IN_COMMUNITY

    secretary = make_user("community_secretary", IN_COMMUNITY)
    officer = make_user("district_officer", IN_COMMUNITY[:6])
    day = timezone.localdate().isoformat()
    page = f"/screening/reports/{IN_COMMUNITY}/{day}/"
    caught_up(real_replica)
    reader = Client()
    reader.force_login(officer)
    with CaptureQueriesContext(real_replica) as on_replica:
        assert reader.get(page).status_code == 200
    assert len(on_replica) > 0  # the page's reads went to the streaming replica

    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")  # the replica now lags
    writer = Client()
    writer.force_login(secretary)
    answer = writer.post(f"{page}submit/", {"action": "submit", "notes": "巡查完毕"})
    assert answer.status_code in {200, 302}
    assert DailyReport.objects.get(place__code=IN_COMMUNITY).status == "submitted"
    with CaptureQueriesContext(real_replica) as on_replica:
        mine = writer.get(page)
    assert mine.context["locked"] is True and len(on_replica) == 0  # her own write
    other = Client()
    other.force_login(secretary)
    assert other.get(page).context["locked"] is False  # from the lagging replica
    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    caught_up(real_replica)
    assert other.get(page).context["locked"] is True
