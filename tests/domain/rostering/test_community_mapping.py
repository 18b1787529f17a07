"""The community problem as a benchmark instance, and placements back on posts."""

import pytest

from linli.domain.rostering.community import (
    W_FROZEN,
    W_KEEP,
    W_MIN_UNDER,
    W_OVER,
    W_PREF_UNDER,
    CommunityProblemError,
    Need,
    Person,
    Placement,
    Problem,
    Request,
    Rules,
    Slot,
    build_instance,
    build_mapping,
    forbidden_pairs,
    grid_of,
    place_on_posts,
    validate,
)
from linli.domain.rostering.model import Roster

SLOTS = (Slot("M", 6 * 60, 14 * 60), Slot("E", 14 * 60, 22 * 60), Slot("N", 22 * 60, 6 * 60))


def problem(**changes) -> Problem:
    needs = tuple(
        Need(post, day, slot, 1, 2 if post == "gate-a" else 1)
        for post in ("gate-a", "gate-b")
        for day in range(7)
        for slot in ("M", "E", "N")
    ) + tuple(Need("gate-a", day, "M", 1, 1, "temp") for day in range(7))
    people = (
        Person("p1", frozenset({"temp"})),
        Person("p2", days_off=frozenset({2, 3})),
        Person("p3"),
    )
    base = {"days": 7, "slots": SLOTS, "needs": needs, "people": people}
    base.update(changes)
    return Problem(**base)


def test_min_rest_and_named_successions_become_forbidden_pairs():
    pairs = forbidden_pairs(problem())
    assert ("N", "M") in pairs  # 0 h rest
    assert ("E", "M") in pairs  # 8 h rest < 11 h
    assert ("N", "E") in pairs  # night ends 06:00, evening starts 14:00: 8 h
    assert ("N", "N") not in pairs and ("M", "M") not in pairs and ("M", "N") not in pairs
    named = forbidden_pairs(problem(rules=Rules(min_rest_hours=0, forbidden=(("N", "M"),))))
    assert named == {("N", "M")}


def test_posts_sharing_a_shift_and_skill_are_pooled_with_a_core_and_an_extra_tier():
    instance, mapping = build_instance(problem())
    # M: general core, general extra, temp core; E and N: core and extra
    assert len(mapping.types) == len(instance.shifts) == 7
    by_type = {
        mapping.key_of(c.shift): (c.requirement, c.under_weight, c.over_weight)
        for c in instance.cover
        if c.day == 0
    }
    general_m = next(k for k in by_type if k.slot == "M" and not k.skill and not k.extra)
    extra_m = next(k for k in by_type if k.slot == "M" and k.extra)
    temp_m = next(k for k in by_type if k.skill == "temp")
    assert by_type[general_m] == (2, W_MIN_UNDER, W_OVER)  # one each at gate a and b
    assert by_type[extra_m] == (1, W_PREF_UNDER, W_OVER)  # gate a prefers two
    assert by_type[temp_m] == (1, W_MIN_UNDER, W_OVER)
    assert len(instance.cover) == 7 * len(mapping.types)


def test_skills_days_off_and_rules_reach_the_staff():
    instance, mapping = build_instance(problem(rules=Rules(max_hours_week=40)))
    staff = {e.id: e for e in instance.staff}
    temp_id = mapping.by_key[next(k for k in mapping.types if k.skill == "temp")]
    assert staff["p3"].max_shifts[temp_id] == 0
    assert staff["p1"].max_shifts[temp_id] == 7
    p1 = staff["p1"]
    assert (p1.max_minutes, p1.min_minutes, p1.max_consecutive, p1.min_consecutive) == (
        2400,
        0,
        6,
        1,
    )
    assert (p1.min_days_off, p1.max_weekends) == (1, 1)
    assert staff["p2"].days_off == {2, 3}
    n_id = mapping.by_key[next(k for k in mapping.types if k.slot == "N" and not k.extra)]
    m_ids = {mapping.by_key[k] for k in mapping.types if k.slot == "M"}
    night = instance.shift(n_id)
    assert night.minutes == 480
    assert night.forbidden_next >= m_ids


def test_requests_and_published_shifts_become_weighted_requests():
    published = (Placement("p3", 1, "E", "gate-b"), Placement("p3", 0, "E", "gate-b"))
    wishes = (Request("p2", 4, on=False, weight=3), Request("p1", 5, on=True, weight=2, slot="N"))
    instance, mapping = build_instance(
        problem(requests=wishes, published=published, frozen_before=1)
    )
    on = {(r.staff, r.day, r.weight) for r in instance.on_requests}
    assert len(instance.off_requests) == len(mapping.types)  # a whole day off: every type
    assert {("p1", 5, 2), ("p3", 1, W_KEEP), ("p3", 0, W_FROZEN)} <= on
    staff = {e.id: e for e in instance.staff}
    # frozen day 0: people not working it published are fixed off
    assert 0 in staff["p1"].days_off and 0 not in staff["p3"].days_off


def test_a_grid_goes_back_on_posts_minimum_first_and_reports_shortfalls():
    prob = problem()
    mapping = build_mapping(prob)
    general_m = mapping.by_key[next(k for k in mapping.types if k.slot == "M" and not k.skill)]
    temp_m = mapping.by_key[next(k for k in mapping.types if k.skill == "temp")]
    rows = [[None] * 7 for _ in range(3)]
    rows[0][0] = temp_m
    rows[1][0] = general_m
    grid = Roster.from_rows(["p1", "p2", "p3"], rows)
    placements, shortfalls = place_on_posts(prob, mapping, grid)
    assert placements == [
        Placement("p2", 0, "M", "gate-a"),
        Placement("p1", 0, "M", "gate-a", "temp"),
    ] or sorted(placements, key=lambda p: p.person) == [
        Placement("p1", 0, "M", "gate-a", "temp"),
        Placement("p2", 0, "M", "gate-a"),
    ]
    day0_m = [s for s in shortfalls if s.day == 0 and s.slot == "M"]
    gate_b = next(s for s in day0_m if s.post == "gate-b")
    assert (gate_b.below_minimum, gate_b.below_preferred) == (1, 1)
    gate_a = next(s for s in day0_m if s.post == "gate-a" and not s.skill)
    assert (gate_a.below_minimum, gate_a.below_preferred) == (0, 1)
    assert grid_of(prob, mapping, placements) == grid


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"days": 10}, "period"),
        ({"rules": Rules(max_hours_day=6)}, "shift type M"),
        ({"needs": (Need("gate-a", 0, "X", 1, 1),)}, "cover need 1 (post gate-a, day 1, shift X)"),
        ({"needs": (Need("gate-a", 0, "M", 2, 1),)}, "cover need 1"),
        ({"rules": Rules(min_rest_hours=30)}, "rules: min rest"),
        ({"rules": Rules(days_off_per_fortnight=14)}, "rules: days off per fortnight"),
        ({"rules": Rules(forbidden=(("N", "Q"),))}, "rules: forbidden successions"),
        ({"requests": (Request("nobody", 0, on=True, weight=1),)}, "request 1"),
        ({"people": (Person("p1"), Person("p1"))}, "volunteers"),
    ],
)
def test_impossible_input_names_what_and_where(changes, where):
    with pytest.raises(CommunityProblemError) as raised:
        validate(problem(**changes))
    assert raised.value.where.startswith(where)
    assert str(raised.value).startswith(where)
