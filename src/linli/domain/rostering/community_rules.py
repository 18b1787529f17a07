"""Every community rule checked on a set of placements.

The rules the benchmark model holds (days off, skills, rest/successions, max
consecutive days, min days off in a row, weekends, hours over the period) are checked
by the benchmark's exact evaluator on the mapped instance; the two it cannot hold
(hours in each calendar week, days off in each fortnight) are checked here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .community import Placement, Problem, build_instance, grid_of


@dataclass(frozen=True)
class Violation:
    person: str
    rule: str
    day: int  # first day of the week or fortnight, or the day concerned
    detail: str


def weekly_and_fortnight_violations(
    problem: Problem, placements: Iterable[Placement]
) -> list[Violation]:
    """Hours in each week over ``max_hours_week``; days off in each fortnight under the rule."""
    length = {s.code: s.length for s in problem.slots}
    minutes: dict[tuple[str, int], int] = defaultdict(int)
    worked: dict[tuple[str, int], int] = defaultdict(int)
    for placed in placements:
        minutes[placed.person, placed.day // 7] += length[placed.slot]
        worked[placed.person, placed.day // 14] += 1
    rules = problem.rules
    found = [
        Violation(
            person,
            "max_hours_week",
            week * 7,
            f"{total / 60:g} h in week {week + 1}, max {rules.max_hours_week:g} h",
        )
        for (person, week), total in sorted(minutes.items())
        if total > rules.max_hours_week * 60
    ]
    for (person, fortnight), days in sorted(worked.items()):
        span = min(14, problem.days - fortnight * 14)
        needed = -(-rules.days_off_per_fortnight * span // 14)  # pro rata for a lone week
        if span - days < needed:
            found.append(
                Violation(
                    person,
                    "days_off_per_fortnight",
                    fortnight * 14,
                    f"{span - days} days off in days {fortnight * 14 + 1}–"
                    f"{fortnight * 14 + span}, at least {needed} needed",
                )
            )
    return found


class RuleChecker:
    """Checks placements against every hard rule of one problem, person by person: the
    benchmark model's rules with the exact evaluator (``check_staff``), then the weekly
    and fortnight rules. Builds the mapped instance once, so many candidate swaps are
    cheap to check."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.instance, self.mapping = build_instance(problem)
        self.staff = {s.id: s for s in self.instance.staff}

    def check(self, placements: Iterable[Placement], people: Iterable[str]) -> list[Violation]:
        from .evaluate import check_staff

        chosen = [p for p in people if p in self.staff]
        mine = [p for p in placements if p.person in set(chosen)]
        grid = grid_of(self.problem, replace(self.mapping, staff=chosen), mine)
        found = [
            Violation(v.staff, v.rule, v.day if v.day is not None else 0, v.message)
            for person in chosen
            for v in check_staff(self.instance, self.staff[person], grid.row(person))
        ]
        return found + weekly_and_fortnight_violations(self.problem, mine)


def violations(
    problem: Problem, placements: Iterable[Placement], people: Iterable[str] | None = None
) -> list[Violation]:
    """Every broken hard rule for ``people`` (all by default)."""
    chosen = [p.id for p in problem.people] if people is None else list(people)
    return RuleChecker(problem).check(list(placements), chosen)
