"""A first roster for the solver to start from (CP-SAT ``hint``), built day by day.

Community instances are large (hundreds of volunteers) but loose, so filling each
day's cover greedily — scarce skills first, then the shifts fewest people can take,
the least-worked eligible person first — already holds every hard rule and covers
most needs; the solver then improves it. The result is only a hint: it is checked
with the exact evaluator and dropped if it breaks a rule.
"""

from __future__ import annotations

from collections import defaultdict

from .evaluate import evaluate
from .model import Instance, Roster


def greedy_roster(instance: Instance) -> Roster | None:
    """A rule-abiding roster covering as much as a day-by-day fill can, or None."""
    horizon = instance.horizon
    length = {s.id: s.minutes for s in instance.shifts}
    forbidden = {s.id: s.forbidden_next for s in instance.shifts}
    rows: dict[str, list[str | None]] = {e.id: [None] * horizon for e in instance.staff}
    minutes: dict[str, int] = defaultdict(int)
    per_type: dict[tuple[str, str], int] = defaultdict(int)
    weekends: dict[str, set[int]] = defaultdict(set)
    wanted = {(r.staff, r.day, r.shift): r.weight for r in instance.on_requests}
    wants_day: dict[tuple[str, int], int] = defaultdict(int)
    for r in instance.on_requests:
        wants_day[r.staff, r.day] += r.weight
    unwanted: dict[tuple[str, int, str], int] = defaultdict(int)
    for r in instance.off_requests:
        unwanted[r.staff, r.day, r.shift] += r.weight
    able = {
        s.id: sum(1 for e in instance.staff if e.limit(s.id, horizon) > 0) for s in instance.shifts
    }
    cover_by_day: dict[int, list] = defaultdict(list)
    for cover in instance.cover:
        if cover.requirement > 0:
            cover_by_day[cover.day].append(cover)

    def run_before(row: list[str | None], day: int, working: bool) -> int:
        count, d = 0, day - 1
        while d >= 0 and (row[d] is not None) == working:
            count, d = count + 1, d - 1
        return count

    def may_work(staff, day: int, shift: str) -> bool:
        row = rows[staff.id]
        if row[day] is not None or day in staff.days_off:
            return False
        if per_type[staff.id, shift] >= staff.limit(shift, horizon):
            return False
        if minutes[staff.id] + length[shift] > staff.max_minutes:
            return False
        if day > 0 and row[day - 1] is not None and shift in forbidden[row[day - 1]]:
            return False
        if run_before(row, day, True) + 1 > staff.max_consecutive:
            return False
        off = run_before(row, day, False)
        if 0 < off < staff.min_days_off and day - off > 0:  # an off block too short inside
            return False
        week, weekday = divmod(day, 7)
        return not (
            weekday >= 5
            and week not in weekends[staff.id]
            and len(weekends[staff.id]) >= staff.max_weekends
        )

    for day in range(horizon):
        lines = list(cover_by_day[day])
        while lines:
            # the line with the least slack among the people still free goes first
            options = {
                id(c): [e for e in instance.staff if may_work(e, day, c.shift)] for c in lines
            }
            cover = min(
                lines,
                key=lambda c: (
                    len(options[id(c)]) - c.requirement,
                    able[c.shift],
                    -c.under_weight,
                ),
            )
            lines.remove(cover)
            candidates = options[id(cover)]
            candidates.sort(
                key=lambda e: (
                    unwanted[e.id, day, cover.shift],
                    -wanted.get((e.id, day, cover.shift), 0),
                    # a weekend worked whole spends one of the person's weekends, not two
                    day % 7 >= 5 and day // 7 not in weekends[e.id],
                    # keep people who asked for another shift that day for it
                    wants_day[e.id, day] - wanted.get((e.id, day, cover.shift), 0),
                    # and people who asked for a shift tomorrow that this one would forbid
                    sum(
                        w
                        for t in forbidden[cover.shift]
                        if (w := wanted.get((e.id, day + 1, t), 0))
                    ),
                    minutes[e.id],
                    e.id,
                )
            )
            for staff in candidates[: cover.requirement]:
                rows[staff.id][day] = cover.shift
                minutes[staff.id] += length[cover.shift]
                per_type[staff.id, cover.shift] += 1
                if day % 7 >= 5:
                    weekends[staff.id].add(day // 7)
    roster = Roster.from_rows(instance.staff_ids, [rows[e.id] for e in instance.staff])
    return roster if evaluate(instance, roster).feasible else None
