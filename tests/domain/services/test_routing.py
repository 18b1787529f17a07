import datetime as dt

import pytest

from linli.domain.services.routing import (
    Ask,
    Professional,
    Team,
    Window,
    on_duty,
    parse_windows,
    route,
)

MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0)  # a Monday
WEEKDAYS = parse_windows("1-5 09:00-17:00")
COMMUNITY = "510107005002"


def pro(pid, kind="psychologist", load=0, limit=3, windows=WEEKDAYS, languages=(), active=True):
    return Professional(pid, kind, load, limit, windows, frozenset(languages), active)


def team(members, tid=1, communities=(COMMUNITY,)):
    return Team(tid, frozenset(communities), tuple(members))


def test_least_loaded_qualified_available_professional_is_chosen():
    people = [pro(1, load=2), pro(2, load=1), pro(3, kind="doctor", load=0), pro(4, load=1)]
    choice = route(Ask("psychological", COMMUNITY), [team([1, 2, 3, 4])], people, MONDAY_10)
    assert (choice.professional, choice.team, choice.reason) == (2, 1, "assigned")


def test_ties_go_to_the_lower_share_of_the_limit():
    people = [pro(1, load=1, limit=2), pro(2, load=1, limit=5)]
    assert (
        route(Ask("psychological", COMMUNITY), [team([1, 2])], people, MONDAY_10).professional == 2
    )


@pytest.mark.parametrize(
    ("people", "when", "reason"),
    [
        ([pro(1, kind="doctor")], MONDAY_10, "no_qualified"),
        ([pro(1)], dt.datetime(2026, 3, 7, 10, 0), "outside_hours"),  # Saturday
        ([pro(1, load=3, limit=3)], MONDAY_10, "at_load_limit"),
        ([pro(1, active=False)], MONDAY_10, "no_qualified"),
    ],
)
def test_queued_with_the_reason(people, when, reason):
    choice = route(Ask("psychological", COMMUNITY), [team([1])], people, when)
    assert choice.queued and choice.reason == reason and choice.team == 1


def test_no_team_bound_to_the_community():
    choice = route(
        Ask("medical", COMMUNITY), [team([1], communities=("510104017001",))], [pro(1)], MONDAY_10
    )
    assert (choice.professional, choice.team, choice.reason) == (None, None, "no_team")


def test_language_asked_for_is_respected():
    people = [pro(1, languages={"zh"}), pro(2, load=2, languages={"zh", "bo"})]
    assert (
        route(Ask("psychological", COMMUNITY, "bo"), [team([1, 2])], people, MONDAY_10).professional
        == 2
    )
    choice = route(Ask("psychological", COMMUNITY, "ug"), [team([1, 2])], people, MONDAY_10)
    assert choice.reason == "language"


def test_medicine_may_go_to_a_social_worker_but_psychology_never_does():
    people = [pro(1, kind="social_worker")]
    assert route(Ask("medicine", COMMUNITY), [team([1])], people, MONDAY_10).professional == 1
    assert route(Ask("psychological", COMMUNITY), [team([1])], people, MONDAY_10).queued


def test_hours_are_parsed_and_checked():
    windows = parse_windows("1-5 09:00-17:00; 7 20:00-24:00")
    assert len(windows) == 6 and Window(6, 1200, 1440) in windows
    assert any(w.covers(dt.datetime(2026, 3, 8, 23, 59)) for w in windows)
    assert not any(w.covers(dt.datetime(2026, 3, 2, 17, 0)) for w in windows)
    with pytest.raises(ValueError, match="1-8 09:00"):
        parse_windows("1-8 09:00-17:00")
    with pytest.raises(ValueError, match="tomorrow"):
        parse_windows("tomorrow")


def test_on_duty_lead_is_the_one_inside_their_hours_else_the_first():
    night = parse_windows("1-7 20:00-24:00")
    assert on_duty([(1, WEEKDAYS), (2, night)], dt.datetime(2026, 3, 2, 21, 0)) == 2
    assert on_duty([(1, WEEKDAYS), (2, night)], dt.datetime(2026, 3, 2, 3, 0)) == 1
    assert on_duty([], MONDAY_10) is None
