import pytest

from linli.guardianship.models import Volunteer
from linli.places.models import Place


@pytest.fixture
def second_compound(inside):
    return Place.objects.create(
        code=inside.grid.code + "02",
        name="甲小区二期",
        level="compound",
        parent=inside.grid,
        x=900.0,
        y=200.0,
    )


@pytest.fixture
def add_volunteer(inside):
    def add(name: str, *, compound=None, **fields) -> Volunteer:
        return Volunteer.objects.create(place=compound or inside.compound, name=name, **fields)

    return add
