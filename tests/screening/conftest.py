import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def grid_worker(make_user, inside):
    return make_user("grid_worker")


@pytest.fixture
def more_households(inside):
    """Three more households in the inside neighbourhood's building, with one person each."""
    from linli.register.models import Household, Resident

    made = []
    for i in range(2, 5):
        household = Household.objects.create(
            code=f"{inside.building.code}110{i}",
            place=inside.building,
            unit="1单元",
            room=f"10{i}",
            address=f"甲花园1栋1单元10{i}",
        )
        Resident.objects.create(place=inside.building, household=household, name=f"住户{i}")
        made.append(household)
    return made


@pytest.fixture
def token_for(make_user):
    """A raw screening-write token for a place, made by an account above it."""
    from linli.accounts.services import do_create_token
    from linli.places.models import Place

    def make(code: str, maker_role: str = "community_secretary") -> str:
        place = Place.objects.get(code=code)
        maker = make_user(maker_role, code[:12])
        _token, raw = do_create_token(
            actor=maker, name="grid app", purpose="screening_write", place=place
        )
        return raw

    return make
