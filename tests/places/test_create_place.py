"""do_create_place: local places get the next code of their parent, never a used one."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from linli.places.models import Level, Place
from linli.places.services import PlaceError, do_create_place

pytestmark = pytest.mark.django_db


def test_codes_extend_the_parent_and_follow_the_last_used(inside, secretary):
    grid = do_create_place(
        actor=secretary, parent=inside.community, level=Level.GRID, name="第2网格"
    )
    assert grid.code == inside.community.code + "02"  # 01 is the existing grid
    compound = do_create_place(actor=secretary, parent=grid, level=Level.COMPOUND, name="芳草苑")
    assert compound.code == grid.code + "01"
    building = do_create_place(actor=secretary, parent=compound, level=Level.BUILDING, name="3栋")
    assert building.code == compound.code + "001"
    entry = LogEntry.objects.get_for_object(compound).get()
    assert entry.actor == secretary and entry.action == LogEntry.Action.CREATE


def test_a_compound_without_grid_takes_grid_number_00(inside, secretary):
    compound = do_create_place(
        actor=secretary, parent=inside.community, level=Level.COMPOUND, name="无网格小区"
    )
    assert compound.code == inside.community.code + "0001"
    assert not Place.objects.filter(level=Level.GRID, code=inside.community.code + "00").exists()


def test_a_code_is_never_given_twice_even_after_its_place_is_gone(inside, secretary):
    first = do_create_place(actor=secretary, parent=inside.grid, level=Level.COMPOUND, name="甲")
    code = first.code
    first.delete()
    second = do_create_place(actor=secretary, parent=inside.grid, level=Level.COMPOUND, name="乙")
    assert second.code != code and int(second.code[-2:]) == int(code[-2:]) + 1


@pytest.mark.parametrize(
    ("level", "parent"),
    [(Level.BUILDING, "community"), (Level.GRID, "grid"), (Level.COMMUNITY, "community")],
)
def test_a_level_that_cannot_lie_there_is_refused(inside, secretary, level, parent):
    before = Place.objects.count()
    with pytest.raises(PlaceError):
        do_create_place(actor=secretary, parent=getattr(inside, parent), level=level, name="x")
    assert Place.objects.count() == before


def test_the_same_name_twice_in_one_parent_is_refused(inside, secretary):
    do_create_place(actor=secretary, parent=inside.grid, level=Level.COMPOUND, name="芳草苑")
    with pytest.raises(PlaceError, match="芳草苑"):
        do_create_place(actor=secretary, parent=inside.grid, level=Level.COMPOUND, name=" 芳草苑 ")
    with pytest.raises(PlaceError):
        do_create_place(actor=secretary, parent=inside.grid, level=Level.COMPOUND, name="  ")
