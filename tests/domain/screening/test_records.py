import datetime as dt

from linli.domain.screening.records import parse_record

TODAY = dt.date(2026, 3, 10)


def fields(raw):
    return [(p.field, p.reason) for p in parse_record(raw, today=TODAY).problems]


def test_an_all_normal_household_needs_only_its_id_and_a_client_id():
    record = parse_record({"client_id": "a1b2c3d4e5", "household": 7}, today=TODAY)
    assert not record.problems
    assert (record.day, record.method, record.all_normal, record.fever) == (
        TODAY,
        "door",
        True,
        False,
    )


def test_fever_from_temperature_or_symptom():
    hot = parse_record(
        {"client_id": "a1b2c3d4e5", "household": 1, "temperature": "37.3"}, today=TODAY
    )
    assert hot.fever and not hot.all_normal
    said = parse_record(
        {"client_id": "a1b2c3d4e5", "household": 1, "symptoms": ["fever"]}, today=TODAY
    )
    assert said.fever


def test_each_problem_names_its_field():
    problems = fields(
        {
            "client_id": "x",
            "household": "abc",
            "method": "pigeon",
            "temperature": "hot",
            "needs": ["money"],
            "day": "2026-03-11",
            "from_risk_area": "yes",
            "colour": "red",
        }
    )
    named = {field for field, _ in problems}
    assert named == {
        "client_id",
        "household",
        "method",
        "temperature",
        "needs",
        "day",
        "from_risk_area",
        "colour",
    }


def test_old_days_and_missing_targets_are_refused():
    assert fields({"client_id": "a1b2c3d4e5", "household": 1, "day": "2026-03-01"}) == [
        ("day", "2026-03-01 is more than 7 days ago")
    ]
    assert fields({"client_id": "a1b2c3d4e5"}) == [
        ("household", "give the household or the resident checked")
    ]
    assert fields({"client_id": "a1b2c3d4e5", "household": 1, "from_risk_area": True}) == [
        ("travel_from", "say where from when from_risk_area is true")
    ]
    assert fields(["not", "an", "object"]) == [("", "not an object")]
