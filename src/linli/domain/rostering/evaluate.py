"""The exact evaluator: every hard rule checked, the penalty recomputed from scratch by term.

This is what tests, the benchmark and the CLI trust — never the solver's own figure alone.
Rule names follow FORMAT.md section 3; horizon edges count as off for successions and
maximum runs, and edge blocks are exempt from the minimum-run rules (8 and 9).
"""

from __future__ import annotations

from .model import Evaluation, Instance, Roster, Staff, Violation, weekend_days


def _blocks(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs of ``value``: (first day, length)."""
    runs, start = [], None
    for day, flag in enumerate([*worked, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            runs.append((start, day - start))
            start = None
    return runs


def check_staff(instance: Instance, staff: Staff, row: tuple[str | None, ...]) -> list[Violation]:
    """Every hard-rule violation of one employee's row (rules 2–10)."""
    found: list[Violation] = []
    horizon = instance.horizon
    lengths = {s.id: s.minutes for s in instance.shifts}
    forbidden = {s.id: s.forbidden_next for s in instance.shifts}

    def add(rule: str, day: int | None, message: str) -> None:
        found.append(Violation(staff.id, rule, day, message))

    if len(row) != horizon:
        add("days", None, f"{len(row)} days given, the horizon has {horizon}")
        return found
    for day, shift in enumerate(row):
        if shift is not None and shift not in lengths:
            add("unknown shift", day, f"unknown shift ID {shift!r}")
    if found:
        return found

    for day in sorted(staff.days_off):
        if row[day] is not None:
            add("fixed day off", day, f"works {row[day]} on a fixed day off")
    for day in range(horizon - 1):
        today, tomorrow = row[day], row[day + 1]
        if today is not None and tomorrow is not None and tomorrow in forbidden[today]:
            add("shift rotation", day, f"{tomorrow} on day {day + 1} may not follow {today}")
    for shift in instance.shifts:
        count = sum(1 for cell in row if cell == shift.id)
        limit = staff.limit(shift.id, horizon)
        if count > limit:
            add("max shifts", None, f"{count} {shift.id} shifts, at most {limit}")
    minutes = sum(lengths[cell] for cell in row if cell is not None)
    if minutes > staff.max_minutes:
        add("max total minutes", None, f"{minutes} minutes, at most {staff.max_minutes}")
    if minutes < staff.min_minutes:
        add("min total minutes", None, f"{minutes} minutes, at least {staff.min_minutes}")

    worked = [cell is not None for cell in row]
    for start, length in _blocks(worked, True):
        if length > staff.max_consecutive:
            add(
                "max consecutive shifts",
                start,
                f"works {length} days in a row from day {start}, at most {staff.max_consecutive}",
            )
        inside = start > 0 and start + length < horizon
        if inside and length < staff.min_consecutive:
            add(
                "min consecutive shifts",
                start,
                f"works only {length} day(s) from day {start}, at least {staff.min_consecutive}",
            )
    for start, length in _blocks(worked, False):
        inside = start > 0 and start + length < horizon
        if inside and length < staff.min_days_off:
            add(
                "min consecutive days off",
                start,
                f"only {length} day(s) off from day {start}, at least {staff.min_days_off}",
            )
    weekends = [
        week for week in range(instance.weeks) if any(worked[d] for d in weekend_days(week))
    ]
    if len(weekends) > staff.max_weekends:
        add("max weekends", None, f"works {len(weekends)} weekends, at most {staff.max_weekends}")
    return found


def penalty(instance: Instance, roster: Roster) -> dict[str, int]:
    """The objective of FORMAT.md section 4, by term (rows must have the horizon's length)."""
    rows = dict(zip(roster.staff, roster.rows, strict=True))
    off = (None,) * instance.horizon
    terms = dict.fromkeys(("on_requests", "off_requests", "under_cover", "over_cover"), 0)
    for request in instance.on_requests:
        if rows.get(request.staff, off)[request.day] != request.shift:
            terms["on_requests"] += request.weight
    for request in instance.off_requests:
        if rows.get(request.staff, off)[request.day] == request.shift:
            terms["off_requests"] += request.weight
    for cover in instance.cover:
        count = sum(1 for row in roster.rows if row[cover.day] == cover.shift)
        terms["under_cover"] += cover.under_weight * max(0, cover.requirement - count)
        terms["over_cover"] += cover.over_weight * max(0, count - cover.requirement)
    return terms


def evaluate(instance: Instance, roster: Roster) -> Evaluation:
    """Check every hard rule for every employee and recompute the penalty from scratch."""
    violations: list[Violation] = []
    rows = dict(zip(roster.staff, roster.rows, strict=True))
    for extra in sorted(set(roster.staff) - set(instance.staff_ids)):
        violations.append(Violation(extra, "unknown employee", None, "not in the instance"))
    for staff in instance.staff:
        row = rows.get(staff.id)
        if row is None:
            violations.append(Violation(staff.id, "missing employee", None, "no row in the roster"))
            continue
        violations.extend(check_staff(instance, staff, row))
    if any(v.rule in {"days", "unknown shift", "missing employee"} for v in violations):
        return Evaluation(objective=0, terms={}, violations=tuple(violations))
    terms = penalty(instance, roster)
    return Evaluation(objective=sum(terms.values()), terms=terms, violations=tuple(violations))
