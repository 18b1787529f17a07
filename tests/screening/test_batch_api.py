"""POST /api/screenings/batch: per-record validation, idempotence by client id, scope by the
token's place, and its place in the OpenAPI schema."""

import json
import uuid

import pytest
from django.test import Client

from linli.screening.models import Screening

URL = "/api/screenings/batch"


def post(client: Client, records, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        URL, json.dumps({"records": records}), content_type="application/json", **headers
    )


def normal(household, **extra):
    return {"client_id": uuid.uuid4().hex, "household": household.pk, **extra}


@pytest.mark.django_db
def test_half_bad_batch_keeps_every_good_record_and_names_each_problem(
    inside, more_households, token_for
):
    token = token_for(inside.grid.code)
    good = [normal(h) for h in [inside.household, *more_households]]
    bad = [
        {"client_id": "short", "household": inside.household.pk},
        {**normal(inside.household), "temperature": 51},
        {**normal(inside.household), "symptoms": ["fever", "headache"]},
        {**normal(inside.household), "day": "2026-13-01"},
    ]
    records = [x for pair in zip(good, bad, strict=True) for x in pair]
    answer = post(Client(), records, token).json()
    assert (answer["accepted"], answer["duplicates"], answer["rejected"]) == (4, 0, 4)
    statuses = [r["status"] for r in answer["results"]]
    assert statuses == ["accepted", "rejected"] * 4
    errors = {r["index"]: r["errors"] for r in answer["results"] if r["errors"]}
    assert errors[1][0]["field"] == "client_id"
    assert errors[3] == [{"field": "temperature", "reason": "51.0 °C is outside 34.0–43.0 °C"}]
    assert errors[5][0]["field"] == "symptoms" and "headache" in errors[5][0]["reason"]
    assert errors[7][0]["field"] == "day"
    assert set(Screening.objects.values_list("client_id", flat=True)) == {
        r["client_id"] for r in good
    }
    stored = Screening.objects.get(client_id=good[0]["client_id"])
    assert stored.community_code == inside.community.code and stored.all_normal


@pytest.mark.django_db
def test_a_batch_resent_after_a_timeout_creates_nothing_twice(inside, more_households, token_for):
    token = token_for(inside.grid.code)
    records = [normal(h) for h in [inside.household, *more_households]]
    first = post(Client(), records[:3], token).json()  # the answer to this one was lost
    again = post(Client(), records, token).json()  # the phone re-sends everything
    assert first["accepted"] == 3
    assert (again["accepted"], again["duplicates"]) == (1, 3)
    assert [r["id"] for r in again["results"][:3]] == [r["id"] for r in first["results"]]
    assert Screening.objects.count() == 4
    repeated = post(Client(), [records[0], records[0]], token).json()
    assert [r["status"] for r in repeated["results"]] == ["duplicate", "duplicate"]
    assert Screening.objects.count() == 4


@pytest.mark.django_db
def test_same_client_id_twice_in_one_batch_is_stored_once(inside, token_for):
    record = normal(inside.household)
    answer = post(Client(), [record, record], token_for(inside.grid.code)).json()
    assert [r["status"] for r in answer["results"]] == ["accepted", "duplicate"]
    assert answer["results"][0]["id"] == answer["results"][1]["id"]
    assert Screening.objects.count() == 1


@pytest.mark.django_db
def test_records_outside_the_token_place_are_rejected_one_by_one(inside, outside, token_for):
    token = token_for(inside.grid.code)
    records = [
        normal(inside.household),
        normal(outside.household),
        {"client_id": uuid.uuid4().hex, "resident": outside.resident.pk},
        {"client_id": uuid.uuid4().hex, "household": 987654321},
    ]
    answer = post(Client(), records, token).json()
    assert [r["status"] for r in answer["results"]] == [
        "accepted",
        "rejected",
        "rejected",
        "rejected",
    ]
    # the same answer whether the household exists elsewhere or not at all
    assert answer["results"][1]["errors"][0]["reason"].endswith("is not in your area")
    assert answer["results"][3]["errors"][0]["reason"].endswith("is not in your area")
    assert list(Screening.objects.values_list("household_id", flat=True)) == [inside.household.pk]


@pytest.mark.django_db
def test_a_client_id_used_outside_the_area_is_not_revealed(inside, outside, token_for):
    taken = normal(outside.household)
    post(Client(), [taken], token_for(outside.grid.code))
    answer = post(
        Client(), [{**taken, "household": inside.household.pk}], token_for(inside.grid.code)
    )
    result = answer.json()["results"][0]
    assert result["status"] == "rejected" and result["id"] is None
    assert result["errors"] == [{"field": "client_id", "reason": "already used for another record"}]


@pytest.mark.django_db
def test_resident_must_live_in_the_household_named(inside, more_households, token_for):
    record = {**normal(more_households[0]), "resident": inside.resident.pk}
    result = post(Client(), [record], token_for(inside.grid.code)).json()["results"][0]
    assert result["errors"][0]["field"] == "resident"


@pytest.mark.django_db
def test_more_than_1000_records_are_refused_whole(inside, token_for):
    records = [normal(inside.household) for _ in range(1001)]
    response = post(Client(), records, token_for(inside.grid.code))
    assert response.status_code == 422
    assert Screening.objects.count() == 0


@pytest.mark.django_db
def test_tokens_for_other_purposes_and_revoked_tokens_cannot_write(inside, make_user):
    from linli.accounts.services import do_create_token, do_revoke_token

    maker = make_user("community_secretary")
    _read, raw_read = do_create_token(
        actor=maker, name="reader", purpose="register_read", place=inside.grid
    )
    write, raw_write = do_create_token(
        actor=maker, name="writer", purpose="screening_write", place=inside.grid
    )
    assert post(Client(), [normal(inside.household)], raw_read).status_code == 401
    do_revoke_token(token=write)
    assert post(Client(), [normal(inside.household)], raw_write).status_code == 401
    assert Screening.objects.count() == 0


@pytest.mark.django_db
def test_a_screening_token_reads_nothing_else(inside, token_for):
    token = token_for(inside.grid.code)
    response = Client().get(
        f"/api/register/households/{inside.household.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_signed_in_grid_worker_posts_with_the_csrf_token(inside, grid_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(grid_worker)
    assert post(client, [normal(inside.household)]).status_code == 403  # no CSRF token
    client.get("/screening/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps({"records": [normal(inside.household)]}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.json()["accepted"] == 1
    assert Screening.objects.get().checked_by == grid_worker


@pytest.mark.django_db
def test_the_batch_is_in_the_openapi_schema():
    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/screenings/batch"]["post"]
    body = schema["components"]["schemas"]["BatchIn"]["properties"]["records"]
    assert body["maxItems"] == 1000
    assert {"client_id", "household", "temperature", "symptoms"} <= set(body["items"]["properties"])
    assert "BatchOut" in json.dumps(operation["responses"])


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_batch(
    inside, more_households, token_for, django_assert_max_num_queries
):
    token = token_for(inside.grid.code)
    records = [normal(h) for h in [inside.household, *more_households] for _ in range(50)]
    with django_assert_max_num_queries(12):
        answer = post(Client(), records, token).json()
    assert answer["accepted"] == 200


@pytest.mark.django_db
def test_a_large_batch_resent_creates_nothing_twice(inside, more_households, token_for):
    """Large batches take PostgreSQL's COPY path; re-sending one must still add nothing."""
    token = token_for(inside.grid.code)
    records = [normal(h) for h in [inside.household, *more_households] for _ in range(30)]
    first = post(Client(), records[:100], token).json()
    again = post(Client(), records, token).json()
    assert (first["accepted"], again["accepted"], again["duplicates"]) == (100, 20, 100)
    assert Screening.objects.count() == 120


@pytest.mark.django_db
def test_ids_beyond_the_database_range_are_rejected_not_crashed(inside, token_for):
    huge = 2**70
    records = [
        {"client_id": uuid.uuid4().hex, "household": huge},
        {"client_id": uuid.uuid4().hex, "resident": huge},
        normal(inside.household),
    ]
    answer = post(Client(), records, token_for(inside.grid.code)).json()
    assert [r["status"] for r in answer["results"]] == ["rejected", "rejected", "accepted"]
    assert answer["results"][0]["errors"][0]["field"] == "household"
    assert answer["results"][1]["errors"][0]["field"] == "resident"


@pytest.mark.django_db
def test_a_one_record_request_asks_the_database_twice(
    inside, token_for, monkeypatch, django_assert_num_queries
):
    """The scope query and the INSERT: the token's account is kept by the process (checked
    again at most once a RECHECK_SECONDS), and one statement needs no BEGIN/COMMIT."""
    from linli.accounts import services

    monkeypatch.setattr(services, "RECHECK_SECONDS", 3600.0)
    token = token_for(inside.grid.code)
    assert post(Client(), [normal(inside.household)], token).json()["accepted"] == 1
    with django_assert_num_queries(2):
        answer = post(Client(), [normal(inside.household)], token).json()
    assert answer["accepted"] == 1
    assert Screening.objects.count() == 2
