"""The planner's scenario, built from the database: the domain's frozen dataclasses, read in a
fixed number of queries however many compounds (sealed or not) the community has."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.domain import matching
from linli.guardianship.problem import scenario_for
from linli.places.models import Place

pytestmark = pytest.mark.django_db


def queries(community) -> tuple[int, matching.Scenario]:
    with CaptureQueriesContext(connection) as captured:
        scenario = scenario_for(community)
    return len(captured), scenario


def test_sealed_compounds_are_read_with_the_places_not_one_query_each(inside):
    few, _ = queries(inside.community)
    for i in range(12):
        Place.objects.create(
            code=f"{inside.grid.code}{i + 10:02d}",
            name=f"甲{i}号院",
            level="compound",
            parent=inside.grid,
            sealed=i % 2 == 0,
        )
    many, scenario = queries(inside.community)
    assert many == few
    assert scenario.sealed == {f"{inside.grid.code}{i + 10:02d}" for i in range(0, 12, 2)}


def test_the_scenario_is_the_planners_own_frozen_types(inside):
    _, scenario = queries(inside.community)
    assert isinstance(scenario, matching.Scenario)
    (ward,) = scenario.wards
    assert ward == matching.Ward(
        id=inside.ward.pk,
        compound=inside.compound.code,
        x=100.0,
        y=200.0,
        sex="F",
        minor=False,
        needs=frozenset(),  # meals: any guardian can bring them
    )
    (volunteer,) = scenario.volunteers
    assert volunteer.skills == frozenset({"nursing"}) and volunteer.capacity_for("backup") == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        ward.x = 0.0  # type: ignore[misc]
    plan = matching.solve(scenario)
    assert plan.assignments == (
        matching.Assignment(ward=inside.ward.pk, primary=inside.volunteer.pk, backup=None),
    )
    assert [(g.ward, g.role) for g in plan.gaps] == [(inside.ward.pk, "backup")]
