"""The grid worker's walk: households still to check first; the form fallback without script."""

import pytest

from linli.screening.models import Screening


@pytest.mark.django_db
def test_unchecked_households_come_first_and_the_form_fallback_records(
    client, inside, more_households, grid_worker, django_assert_max_num_queries
):
    client.force_login(grid_worker)
    with django_assert_max_num_queries(12):
        page = client.get("/screening/").content.decode()
    assert '<b id="unchecked-count">4</b>' in page
    response = client.post(
        "/screening/record/", {"household": inside.household.pk, "client_id": "form-000001"}
    )
    assert response.status_code == 302
    client.post(
        "/screening/record/", {"household": inside.household.pk, "client_id": "form-000001"}
    )
    assert Screening.objects.count() == 1  # a double tap records once
    page = client.get("/screening/").content.decode()
    assert '<b id="unchecked-count">3</b>' in page
    assert page.index(f"household-{more_households[0].pk}") < page.index(
        f"household-{inside.household.pk}"
    )


@pytest.mark.django_db
def test_the_detail_form_records_symptoms_and_needs(client, inside, grid_worker):
    client.force_login(grid_worker)
    assert client.get(f"/screening/households/{inside.household.pk}/").status_code == 200
    client.post(
        "/screening/record/",
        {
            "client_id": "detail-0001",
            "household": inside.household.pk,
            "resident": inside.resident.pk,
            "method": "phone",
            "temperature": "37.8",
            "symptoms": ["cough"],
            "needs": ["medicine", "food"],
            "case_contact": "on",
        },
    )
    s = Screening.objects.get()
    assert (s.method, float(s.temperature), s.fever, s.case_contact) == ("phone", 37.8, True, True)
    assert (s.symptoms, s.needs, s.all_normal) == (["cough"], ["food", "medicine"], False)
