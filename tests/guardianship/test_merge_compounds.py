"""Merging two compounds that turned out to be one: everything under the source moves,
the plan is repaired in the same transaction, and bad merges are refused whole."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from linli.guardianship.models import Assignment, CoverageSnapshot, Trigger
from linli.guardianship.replan import do_merge_compounds, do_replan_community, do_seal_compound
from linli.places.models import Place
from linli.places.services import PlaceError, do_create_place
from linli.register.models import Resident

pytestmark = pytest.mark.django_db


def roles(ward) -> dict[str, int]:
    return {a.role: a.volunteer_id for a in Assignment.objects.filter(ward=ward)}


def test_a_merge_brings_the_outside_volunteer_inside_the_seal_and_replans(
    inside, add_volunteer, second_compound, secretary
):
    inside.volunteer.status = "withdrawn"
    inside.volunteer.save()
    volunteer = add_volunteer("甲外面", compound=second_compound)
    building = do_create_place(
        actor=secretary, parent=second_compound, level="building", name=inside.building.name
    )
    other = do_create_place(actor=secretary, parent=second_compound, level="building", name="9栋")
    do_seal_compound(actor=secretary, place=inside.compound, reason="test")
    assert roles(inside.ward) == {}  # the only volunteer lives outside the seal

    do_merge_compounds(actor=secretary, source=second_compound, target=inside.compound)

    volunteer.refresh_from_db()
    assert volunteer.place == inside.compound
    assert roles(inside.ward) == {"primary": volunteer.pk}  # no manual re-plan
    snapshot = CoverageSnapshot.objects.filter(community=inside.community).latest()
    assert snapshot.trigger == Trigger.PLACES_MERGED
    assert inside.compound.name in snapshot.about
    # Buildings: the same name joins the existing one, another is created in the target.
    assert inside.compound.children.filter(name="9栋").exists()
    assert inside.compound.children.filter(name=inside.building.name).count() == 1
    building.refresh_from_db()
    other.refresh_from_db()
    assert "并入" in building.name or "merged" in building.name
    assert not Resident.objects.filter(place__in=[second_compound, building, other]).exists()
    entry = LogEntry.objects.get_for_object(volunteer).filter(additional_data__has_key="merged")
    assert entry.get().actor == secretary


def test_merging_a_compound_with_itself_or_across_communities_is_refused(
    inside, outside, secretary
):
    before = list(Place.objects.values_list("pk", "name").order_by("pk"))
    plans = CoverageSnapshot.objects.count()
    with pytest.raises(PlaceError):
        do_merge_compounds(actor=secretary, source=inside.compound, target=inside.compound)
    with pytest.raises(PlaceError):
        do_merge_compounds(actor=secretary, source=outside.compound, target=inside.compound)
    with pytest.raises(PlaceError):
        do_merge_compounds(actor=secretary, source=inside.building, target=inside.compound)
    assert list(Place.objects.values_list("pk", "name").order_by("pk")) == before
    assert CoverageSnapshot.objects.count() == plans


def test_a_compound_with_accounts_bound_to_it_is_not_merged(
    inside, second_compound, secretary, make_user
):
    make_user("grid_worker", second_compound.code)
    resident_place = inside.resident.place_id
    with pytest.raises(PlaceError, match="甲小区二期"):
        do_merge_compounds(actor=secretary, source=second_compound, target=inside.compound)
    assert Resident.objects.get(pk=inside.resident.pk).place_id == resident_place
    do_replan_community(community=inside.community, trigger=Trigger.BY_HAND, actor=None)
