"""A generated population loaded into the test database (the demo's loader), for tests
that attack what the pages and files give away."""

from __future__ import annotations


def load_population(code: str, population: int, seed: int) -> list:
    """One community's synthetic residents (households, categories, wards, volunteers),
    returned from the database."""
    from django.db import transaction

    from linli.demo.population import LoadCounts, load_community
    from linli.domain.synth import generate_community
    from linli.register.models import Resident

    with transaction.atomic():
        load_community(generate_community(code, population=population, seed=seed), LoadCounts())
    return list(Resident.objects.filter(place__code__startswith=code).order_by("pk"))
