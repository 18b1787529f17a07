import pytest

from linli.demo.population import LoadCounts, load_community
from linli.domain.synth import generate_community
from linli.guardianship.models import Volunteer
from linli.places.models import Place
from linli.register.models import Resident, Ward


@pytest.mark.django_db
def test_a_generated_community_loads_with_every_table_and_its_links():
    population = generate_community("510107005002", population=600, seed=1)
    counts = LoadCounts()
    load_community(population, counts)
    assert (
        counts.residents
        == Resident.objects.filter(place__code__startswith="510107005002").count()
        == 600
    )
    assert counts.wards == Ward.objects.count() == len(population.wards)
    assert counts.volunteers == Volunteer.objects.count()
    assert Place.objects.filter(code__startswith="510107005002", level="compound").count() >= 2
    resident = Resident.objects.select_related("household__place").first()
    assert resident.place == resident.household.place
    assert resident.place.level == "building"
    with_pass = [v for v in population.volunteers if v[6]]
    assert Volunteer.passes.through.objects.count() == len(with_pass)
