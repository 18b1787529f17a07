"""A community with people from the synthetic generator and one person listed twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from linli.domain.synth import generate_community


@dataclass
class Twice:
    first: object  # the neighbourhood's resident, listed by civil affairs
    second: object  # the same person listed by health: homophone, no ID, another phone
    neighbour: object  # a different person in the same household


def _source(resident, source: str, key: str, row: int):
    from linli.register.models import SourceRecord

    return SourceRecord.objects.create(
        community_id=_community(resident),
        resident=resident,
        source=source,
        key=key,
        fields={"姓名": resident.name},
        digest=key,
        file_name=f"{source}.xlsx",
        row_number=row,
        imported_at=timezone.now(),
    )


def _community(resident):
    from linli.places.models import Place

    return Place.objects.get(code=resident.place.code[:12]).pk


@pytest.fixture
def twice(inside) -> Twice:
    from linli.register.models import Resident, Vulnerability, Ward

    population = generate_community(inside.community.code, population=300, seed=3)
    Resident.objects.bulk_create(
        Resident(
            place=inside.building,
            name=r[2],
            id_number=r[3],
            sex=r[4],
            birth_date=dt.date.fromisoformat(r[5]),
            phone=r[6],
            address=f"甲花园1栋{k % 4 + 1}单元{k // 4 % 9 + 1}01",
        )
        for k, r in enumerate(population.residents)
    )
    first = inside.resident
    second = Resident.objects.create(
        place=inside.building,
        household=inside.household,
        name="甲老仁",  # same sound as 甲老人
        sex="F",
        birth_date=first.birth_date,
        phone="13911112222",
        address="甲花园1号楼1单元101室",
    )
    neighbour = Resident.objects.create(
        place=inside.building,
        household=inside.household,
        relation="子女",
        name="甲老三",
        id_number="",
        sex="M",
        birth_date=dt.date(1968, 7, 1),
        phone="13800000001",
    )
    _source(first, "民政", "first", 2)
    _source(second, "卫健", "second", 5)
    Vulnerability.objects.create(resident=second, category="chronic_medicine", source="health")
    Ward.objects.create(resident=second, risk="medium", needs=["medicine"])
    return Twice(first, second, neighbour)


@pytest.fixture(autouse=True)
def english():
    """Messages asserted in English (pages default to Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
