import datetime as dt

import pytest

from linli.domain.services.limits import (
    DEFAULT_LIMITS,
    CaseClock,
    Limits,
    age_bucket,
    escalations,
    response_state,
)

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def at(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def ladder(case, now):
    return [(a.kind, a.level, a.reason) for a in escalations([case], now, lambda c: DEFAULT_LIMITS)]


def test_a_queued_critical_request_reaches_the_lead_and_the_secretary_within_its_15_minutes():
    case = CaseClock(1, "critical", T0, assigned=False)
    assert ladder(case, at(7)) == []
    assert ladder(case, at(7.5)) == [("response", "lead", "queued")]
    assert ladder(case, at(15)) == [
        ("response", "lead", "queued"),
        ("response", "secretary", "queued"),
    ]


def test_an_assigned_request_escalates_when_its_limit_passes_then_half_a_limit_later():
    case = CaseClock(1, "urgent", T0, assigned=True)
    assert ladder(case, at(119)) == []
    assert ladder(case, at(120)) == [("response", "lead", "overdue")]
    opened = CaseClock(1, "urgent", T0, assigned=True, escalated=frozenset({("response", "lead")}))
    assert ladder(opened, at(179)) == []
    assert ladder(opened, at(180)) == [("response", "secretary", "overdue")]


def test_a_first_response_stops_the_response_ladder_but_not_the_resolution_one():
    case = CaseClock(1, "critical", T0, assigned=True, first_response_at=at(5))
    assert ladder(case, at(60)) == []
    assert ladder(case, at(24 * 60)) == [("resolution", "lead", "overdue")]


def test_closed_cases_never_escalate():
    case = CaseClock(1, "critical", T0, assigned=False, closed_at=at(1))
    assert ladder(case, at(10_000)) == []


def test_community_limits_replace_the_defaults():
    fast = Limits({"critical": 5, "urgent": 30, "normal": 60}, DEFAULT_LIMITS.resolution)
    case = CaseClock(1, "normal", T0, assigned=True)
    assert [a.level for a in escalations([case], at(60), lambda c: fast)] == ["lead"]
    with pytest.raises(ValueError, match="critical"):
        Limits({"critical": 0, "urgent": 1, "normal": 1}, DEFAULT_LIMITS.resolution)


def test_response_state_and_age_for_the_dashboard():
    waiting = CaseClock(1, "critical", T0, assigned=True)
    assert response_state(waiting, at(10), DEFAULT_LIMITS) == "waiting"
    assert response_state(waiting, at(16), DEFAULT_LIMITS) == "overdue"
    met = CaseClock(1, "critical", T0, assigned=True, first_response_at=at(15))
    assert response_state(met, at(100), DEFAULT_LIMITS) == "met"
    missed = CaseClock(1, "critical", T0, assigned=True, first_response_at=at(16))
    assert response_state(missed, at(100), DEFAULT_LIMITS) == "missed"
    assert [age_bucket(T0, at(m)) for m in (1, 60, 600, 3000, 5000)] == [
        "<15m",
        "<2h",
        "<24h",
        "<3d",
        "≥3d",
    ]
