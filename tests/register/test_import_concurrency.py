"""The same register file imported twice at the same moment (a double click, a re-sent
upload) creates each person once (PostgreSQL, real parallel transactions)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from linli.domain import idcard
from linli.places.models import Place
from linli.register.importing import do_import_residents, read_register_file
from linli.register.models import Resident, SourceRecord
from tests.conftest import IN_COMMUNITY

ROWS = 200


def register_csv() -> bytes:
    lines = ["姓名,身份证号,单元,房号"]
    for i in range(ROWS):
        number = idcard.make("510107", dt.date(1950, 1, 1) + dt.timedelta(days=i), 11, "F")
        lines.append(f"并发{i},{number},1单元,{i}")
    return "\n".join(lines).encode()


@pytest.mark.django_db(transaction=True)
def test_one_file_imported_twice_at_once_creates_each_person_once(live_places):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL; SQLite serialises them")
    place = Place.objects.get(code=IN_COMMUNITY)
    content = register_csv()
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            parsed = read_register_file(content, "台账.csv")
            barrier.wait()
            do_import_residents(
                actor=None,
                place=place,
                parsed=parsed,
                source="民政",
                file_name="台账.csv",
                commit=True,
            )
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert Resident.objects.filter(name__startswith="并发").count() == ROWS
    assert SourceRecord.objects.count() == ROWS
