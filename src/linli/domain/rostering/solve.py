"""Solve an :class:`Instance` with OR-Tools CP-SAT and HiGHS within a time limit.

The phases behind one call, each starting from the best roster so far:

0. a constructive first roster (:mod:`.construct`), in a second or two at any size;
1. column generation (:mod:`.colgen`): the linear relaxation over whole rows, which gives
   the strong lower bound (the optimum itself on several benchmark instances), then a dive
   to a first roster and, where the relaxation converged, a CP-SAT search of the cells it
   leaves open;
2. the full CP-SAT model (it proves small instances optimal, where the relaxation's bound
   is below the optimum);
3. best-response descent (:mod:`.descent`): each employee takes their cheapest row given
   everyone else's;
4. large-neighbourhood search: a few employees' rows, over the horizon or a window of days,
   re-solved by CP-SAT as a small instance of their own, accepting any roster as good.

A proof of optimality (the roster reaches the bound) ends the search at once. The returned
figure is the exact evaluator's, never the solver's alone.

The time limit is a contract at any size: every phase has a deadline it checks inside its
loops (pricing stops between pieces of a round, each CP-SAT call gets at most the time
left), and phases that cannot pay off within the limit are left out — column generation
when one round of pricing would take more than a fifth of its share, the full model and
the relaxation-guided search past :data:`FULL_MODEL_CELLS` and :data:`RINS_CELLS` cells. Memory stays bounded
because the row programme falls back to a bounded state space past its table limit
(:data:`.pricing.TABLE_LIMIT`) and the neighbourhood search re-solves windows of days
(:func:`_window`), never the whole horizon of a large instance.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from .colgen import column_generation
from .construct import construct
from .cpmodel import CpRoster
from .descent import descend
from .evaluate import check_staff, evaluate, penalty
from .model import Instance, Roster, Staff, weekend_days
from .pricing import RowProgramme

FULL_MODEL_CELLS = 40_000  # employees × days × shift types beyond which no whole model
# ... and beyond which no search of the cells the relaxation leaves open (that model is
# mostly fixed, so it pays off further: a community's 600 volunteers × 28 days × 6 types)
RINS_CELLS = 150_000
WINDOW_FROM = 56  # horizons longer than this are searched in windows of days
PRICING_CELLS_PER_SECOND = 80e6  # the exact row programme, measured on 2 cores


@dataclass(frozen=True)
class Progress:
    """Reported whenever the solver finds a better roster or proves a better bound."""

    seconds: float
    time_limit: float
    objective: int | None
    bound: int | None
    phase: str

    @property
    def fraction(self) -> float:
        return min(1.0, self.seconds / self.time_limit) if self.time_limit else 1.0


@dataclass(frozen=True)
class Result:
    """The best roster found (``None`` if none), its penalty by term, the proven lower bound.

    ``status`` is ``optimal`` (objective == bound), ``feasible``, ``infeasible`` (the rules
    cannot all hold; ``explanation`` says whose and which) or ``unknown`` (time ran out first).
    """

    roster: Roster | None
    objective: int | None
    bound: int | None
    terms: dict[str, int]
    status: str
    seconds: float
    explanation: tuple[str, ...] = field(default_factory=tuple)
    first_roster_seconds: float | None = None

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None or not self.objective:
            return None
        return (self.objective - self.bound) / self.objective


_DEBUG = os.environ.get("LINLI_ROSTER_DEBUG") == "1"
_log = logging.getLogger(__name__)

ProgressCallback = Callable[[Progress], bool | None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[int | None, int | None], bool]) -> None:
        super().__init__()
        self.report = report

    def on_solution_callback(self) -> None:
        if self.report(round(self.objective_value), round(self.best_objective_bound)):
            self.stop_search()


def solve(
    instance: Instance,
    time_limit: float = 60.0,
    workers: int = 2,
    hint: Roster | None = None,
    progress: ProgressCallback | None = None,
    *,
    seed: int = 0,
    full_share: float = 0.1,
    colgen_share: float = 0.4,
    processes: int = 1,
    rins_share: float = 0.3,
    dive_share: float = 0.25,
    descent_seconds: float = 3.0,
) -> Result:
    """Find a roster holding every hard rule with the least penalty within ``time_limit`` s.

    ``hint`` starts the search from an existing roster, and the result is never worse than
    it when it is valid (it is a warm start: nothing else penalises changes to it).
    ``progress`` is called with a :class:`Progress` when column generation and the
    full-model phase end and on each improvement after them, and may return True to stop
    early (a phase itself is not interrupted). The shares are parts of the time limit:
    ``colgen_share`` for column generation (0: none), of which ``dive_share`` goes to the
    dive; ``rins_share`` for the search of the cells the relaxation leaves open;
    ``full_share`` for the full model (at least 5 s or half the limit; 0: none, unless
    no roster is known yet). ``processes`` forked processes price rows in column
    generation (1: none; the web app's background jobs keep 1).
    """
    started = time.monotonic()
    best: Roster | None = None
    best_value: int | None = None
    bound: int | None = None
    stopped = False

    def elapsed() -> float:
        return time.monotonic() - started

    def report(objective: int | None, new_bound: int | None, phase: str) -> bool:
        nonlocal bound, stopped
        if new_bound is not None:
            new_bound = max(0, new_bound)  # every term is a non-negative penalty
        if new_bound is not None and (bound is None or new_bound > bound):
            bound = new_bound
        if progress is not None and progress(
            Progress(elapsed(), time_limit, objective, bound, phase)
        ):
            stopped = True
        return stopped

    def keep(roster: Roster | None) -> None:
        """Take ``roster`` as the best if it holds every rule and is better."""
        nonlocal best, best_value
        if roster is None:
            return
        checked = evaluate(instance, roster)
        if checked.feasible and (best_value is None or checked.objective < best_value):
            best = Roster(instance.staff_ids, tuple(roster.row(e) for e in instance.staff_ids))
            best_value = checked.objective

    def proven() -> bool:
        return bound is not None and best_value is not None and bound >= best_value

    # Never return worse than the roster we were asked to start from, if it is valid.
    keep(hint)
    hinted = best
    deadline = started + time_limit
    # Phase 0: a first roster in one pass (no search), unless the hint is one already.
    if best is None:
        keep(construct(instance, deadline))
        report(best_value, None, "first roster")
    first_roster_seconds = elapsed()
    report(best_value, capacity_bound(instance), "capacity bound")
    cells = len(instance.staff) * instance.horizon * len(instance.shifts)
    whole_model = cells <= FULL_MODEL_CELLS
    # Time kept back for the last checks (an evaluation takes about what the first roster did).
    margin = min(0.1 * time_limit, 0.2 + first_roster_seconds)
    # Phase 1: column generation — the strong lower bound, and a roster by diving.
    if colgen_share > 0 and not stopped and _pricing_fits(instance, time_limit * colgen_share):
        generated = column_generation(
            instance,
            min(time_limit * colgen_share, max(0.1, deadline - time.monotonic() - 0.2)),
            # Seeded with the caller's roster only: column generation's own first rows
            # (each employee's cheapest at zero cover prices) lead to a better relaxation
            # sooner than the constructive roster's.
            start=hinted,
            threads=workers,
            processes=processes,
            dive_share=dive_share,
        )
        keep(generated.roster)
        report(best_value, generated.lower, "column generation")
        if (
            generated.converged
            and generated.settled is not None
            and best is not None
            and cells <= RINS_CELLS
            and not proven()
            and elapsed() < time_limit - 0.5
        ):
            # Where the relaxation's rows all agree, hold that; search the rest (RINS).
            settled = generated.settled
            cp = CpRoster(instance)
            held = [
                (e, d)
                for e, row in enumerate(settled.rows)
                for d, cell in enumerate(row)
                if cell != ""
            ]
            cp.fix(settled, held)
            cp.hint(best)
            seconds = min(time_limit * rins_share, max(0.1, time_limit - elapsed()))
            solver = _solver(workers, seconds, seed)
            solver.parameters.linearization_level = 2
            # Stop as soon as a roster meets the bound: nothing better exists.
            watcher = _Watcher(lambda o, b: o is not None and bound is not None and o <= bound)
            status = solver.solve(cp.model, watcher)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                keep(_read(cp, solver)[0])
                report(best_value, None, "relaxation-guided search")
            if _DEBUG:
                free = sum(len(r) for r in settled.rows) - len(held)
                print(f"    rins {solver.status_name(status)} free cells {free} best {best_value}")
        if _DEBUG:
            print(
                f"    colgen lower {generated.lower} relaxation {generated.relaxation} "
                f"converged {generated.converged} iterations {generated.iterations} "
                f"columns {generated.columns} relaxed in {generated.relaxation_seconds:.1f} s "
                f"of {generated.seconds:.1f} s, best {best_value}"
            )

    # Phase 2: the full model, from the best roster so far (small instances only, or when
    # nothing else found a roster).
    if not whole_model and best is not None:
        full_share = 0
    cp = CpRoster(instance) if whole_model or best is None else None
    if cp is not None and best is not None:
        cp.hint(best)
    elif cp is not None and hint is not None:
        cp.hint(hint)
    # Small instances are proven optimal here within seconds; give them at least that.
    first_phase = max(time_limit * full_share, min(time_limit / 2, 5.0)) if full_share else 0
    first_phase = min(first_phase, max(0.1, time_limit - elapsed()))

    def full_model(seconds: float, run_seed: int, watcher: _Watcher | None) -> bool:
        """Run the full model; False if it proved the rules cannot all hold."""
        assert cp is not None
        solver = _solver(workers, seconds, run_seed)
        status = solver.solve(cp.model, watcher)
        if status == cp_model.INFEASIBLE:
            return False
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            keep(_read(cp, solver)[0])
            report(best_value, round(solver.best_objective_bound), "full model")
        if status == cp_model.OPTIMAL:
            report(best_value, best_value, "full model")
        return True

    feasible = True
    if best is None and cp is None:
        feasible = False  # the first roster failed on someone's rules alone: explain them
    if (
        first_phase
        and cp is not None
        and not proven()
        and not stopped
        and elapsed() < time_limit - 0.5
    ):
        feasible = full_model(first_phase, seed, None)
    if feasible and cp is not None and best is None and not stopped and elapsed() < time_limit:
        # No roster yet: run the full model until its first roster, then search around it.
        watcher = _Watcher(lambda o, b: True)
        feasible = full_model(max(0.1, time_limit - elapsed()), seed + 1, watcher)
    if not feasible:
        from .explain import explain_infeasible

        explanation = explain_infeasible(instance)
        return Result(None, None, None, {}, "infeasible", elapsed(), explanation)

    # Phase 3: best-response descent, then large-neighbourhood search around the best.
    if best is not None and not stopped and not proven() and elapsed() < time_limit - 0.5:
        keep(descend(instance, best, min(deadline - margin, time.monotonic() + descent_seconds)))
        if _DEBUG:
            print(f"    descent best {best_value}")
    if best is not None and best_value is not None and not stopped and not proven():
        best, best_value = _neighbourhood_search(
            best,
            best_value,
            instance=instance,
            deadline=deadline - margin,
            workers=workers,
            seed=seed,
            bound=lambda: bound,
            report=lambda value: report(value, None, "neighbourhood search"),
            stopped=lambda: stopped,
        )

    seconds = elapsed()
    if best is None:
        return Result(
            None,
            None,
            bound,
            {},
            "unknown",
            seconds,
            (f"no roster found within {time_limit:g} s; allow more time",),
        )
    checked = evaluate(instance, best)
    if not checked.feasible or checked.objective != best_value:
        raise AssertionError(
            f"solver and evaluator disagree: solver {best_value}, evaluator "
            f"{checked.objective}, violations {[str(v) for v in checked.violations[:3]]}"
        )
    if bound is not None and bound > checked.objective:
        raise AssertionError(f"bound {bound} above the objective {checked.objective}")
    optimal = bound is not None and bound >= checked.objective
    return Result(
        best,
        checked.objective,
        bound,
        dict(checked.terms),
        "optimal" if optimal else "feasible",
        seconds,
        first_roster_seconds=first_roster_seconds,
    )


def capacity_bound(instance: Instance) -> int:
    """A lower bound from counting alone: a (day, type) gets at most the staff who may work
    it that day, a day at most the staff free that day, the horizon at most what the
    contracts' minutes and type limits allow; what is asked beyond is under-cover."""
    horizon = instance.horizon
    lines = {(c.day, c.shift): c for c in instance.cover}
    asked_on: Counter[int] = Counter()
    for c in instance.cover:
        asked_on[c.day] += c.requirement
    by_line = 0
    by_day = 0
    cheapest = min((c.under_weight for c in instance.cover), default=0)
    qualified = Counter(
        s.id for e in instance.staff for s in instance.shifts if e.limit(s.id, horizon) > 0
    )
    away: Counter[tuple[int, str]] = Counter()
    absent: Counter[int] = Counter()
    for e in instance.staff:
        for d in e.days_off:
            absent[d] += 1
            away.update((d, s.id) for s in instance.shifts if e.limit(s.id, horizon) > 0)
    for d in range(horizon):
        free = len(instance.staff) - absent[d]
        short = 0
        for shift in instance.shifts:
            line = lines.get((d, shift.id))
            if line is None:
                continue
            able = qualified[shift.id] - away[d, shift.id]
            short += max(0, line.requirement - able) * line.under_weight
        asked = asked_on[d]
        by_line += short
        by_day += max(short, cheapest * max(0, asked - free))
    capacity = 0
    for e in instance.staff:
        allowed = [s for s in instance.shifts if e.limit(s.id, horizon) > 0]
        if not allowed:
            continue
        most = min(
            horizon - len(e.days_off),
            e.max_minutes // min(s.minutes for s in allowed),
            sum(e.limit(s.id, horizon) for s in allowed),
        )
        capacity += max(0, most)
    total = cheapest * max(0, sum(c.requirement for c in instance.cover) - capacity)
    return max(by_line, by_day, total)


def _pricing_fits(instance: Instance, seconds: float) -> bool:
    """Whether one round of pricing every employee takes at most a fifth of ``seconds``
    (column generation needs rounds by the dozen to pay off)."""
    programmes = [RowProgramme(instance, e) for e in range(len(instance.staff))]
    exact = sum(p.table_size for p in programmes if not p.bounded)
    bounded = sum(1 for p in programmes if p.bounded)
    round_seconds = exact / PRICING_CELLS_PER_SECOND + bounded * 0.2 * instance.horizon / 182
    return round_seconds <= seconds / 5


def _read(cp: CpRoster, solver: cp_model.CpSolver) -> tuple[Roster, int]:
    """The solver's roster and its penalty as the evaluator computes it.

    CP-SAT's reported objective has been seen above the re-scored roster after a search cut
    short by a time limit or a callback; the roster itself is what counts, so it is re-scored.
    """
    roster = cp.roster(solver)
    value = sum(penalty(cp.instance, roster).values())
    if value != round(solver.objective_value):
        _log.debug("CP-SAT reported %s, the roster scores %s", solver.objective_value, value)
    return roster, value


def _solver(workers: int, seconds: float, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver


def _defects(instance: Instance, roster: Roster) -> list[tuple[int, str | None]]:
    """(day, shift) of every cover short or over, and (day, None) of every unmet request."""
    found: list[tuple[int, str | None]] = []
    on_duty = Counter((d, shift) for row in roster.rows for d, shift in enumerate(row) if shift)
    for cover in instance.cover:
        count = on_duty[cover.day, cover.shift]
        if count != cover.requirement:
            found.append((cover.day, cover.shift))
    rows = dict(zip(roster.staff, roster.rows, strict=True))
    for request in instance.on_requests:
        if rows[request.staff][request.day] != request.shift:
            found.append((request.day, None))
    for request in instance.off_requests:
        if rows[request.staff][request.day] == request.shift:
            found.append((request.day, None))
    return found


def _neighbourhood(
    instance: Instance,
    best: Roster,
    defects: list[tuple[int, str | None]],
    kind: str,
    size: int,
    rng: random.Random,
) -> tuple[list[int], range]:
    """The employees and the days to re-solve; everything else stays as in ``best``.

    Centred on a defect when there is one: employees who could take the defect's shift that
    day but do not come first, then others at random. "staff" frees ``size`` employees over
    the whole horizon; "block" twice as many over a fortnight around the defect; "days"
    four times as many over a week around it."""
    staff_count, horizon = len(instance.staff), instance.horizon
    day, shift = rng.choice(defects) if defects else (rng.randrange(horizon), None)
    able = [
        e
        for e, staff in enumerate(instance.staff)
        if shift is not None
        and best.rows[e][day] != shift
        and day not in staff.days_off
        and staff.limit(shift, horizon) > 0
    ]
    rng.shuffle(able)
    others = [e for e in range(staff_count) if e not in set(able)]
    rng.shuffle(others)
    if kind == "staff":
        count, span = size, horizon if horizon <= WINDOW_FROM else 4 * WINDOW_FROM // 7 * 7
    elif kind == "block":
        count, span = 2 * size, 14
    else:
        count, span = 4 * size, 7
    count, span = min(staff_count, count), min(horizon, span)
    chosen = (able[: max(1, count // 2)] + others)[:count]
    first = min(max(0, day - rng.randrange(span)), horizon - span)
    return sorted(chosen), range(first, first + span)


def _subinstance(instance: Instance, best: Roster, chosen: list[int], days: range) -> Instance:
    """The instance of the ``chosen`` employees alone, the others' rows held as in ``best``:
    each cover line asks only for what the others leave (an extra person beyond it costs
    the over weight, as in the whole). On a long horizon it covers only the weeks around
    ``days`` (see :func:`_window`)."""
    inside = set(chosen)
    first, last = _window(instance, chosen, days)
    held: Counter[tuple[int, str]] = Counter()
    for e, row in enumerate(best.rows):
        if e not in inside:
            held.update(
                (d, shift) for d, shift in enumerate(row[first:last], first) if shift is not None
            )
    staff = tuple(
        _staff_within(instance, instance.staff[e], best.rows[e], first, last) for e in chosen
    )
    ids = {instance.staff[e].id for e in chosen}
    return Instance(
        last - first,
        instance.shifts,
        staff,
        tuple(
            replace(r, day=r.day - first)
            for r in instance.on_requests
            if r.staff in ids and first <= r.day < last
        ),
        tuple(
            replace(r, day=r.day - first)
            for r in instance.off_requests
            if r.staff in ids and first <= r.day < last
        ),
        tuple(
            replace(c, day=c.day - first, requirement=max(0, c.requirement - held[c.day, c.shift]))
            for c in instance.cover
            if first <= c.day < last
        ),
        instance.name,
    )


def _window(instance: Instance, chosen: list[int], days: range) -> tuple[int, int]:
    """The whole weeks around ``days`` that a sub-problem covers: the whole horizon when it
    is short, else ``days`` padded on each side by more days than any chosen contract's
    longest run or rest. Those padding days stay fixed, so every block that reaches the
    window's edge lies in the fixed part and is as valid as it was; the week alignment
    keeps the weekends whole."""
    horizon = instance.horizon
    if horizon <= WINDOW_FROM:
        return 0, horizon
    pad = 1 + max(
        max(s.max_consecutive, s.min_consecutive, s.min_days_off)
        for s in (instance.staff[e] for e in chosen)
    )
    first = max(0, (days.start - pad) // 7 * 7)
    last = min(horizon, -(-(days.stop + pad) // 7) * 7)
    return first, last


def _staff_within(instance: Instance, staff: Staff, row: tuple, first: int, last: int) -> Staff:
    """``staff``'s contract for days ``first``–``last`` alone, given what ``row`` works
    outside them: minutes, type counts and weekends left."""
    if first == 0 and last == instance.horizon:
        return staff
    outside = row[:first] + row[last:]
    lengths = {s.id: s.minutes for s in instance.shifts}
    minutes = sum(lengths[c] for c in outside if c is not None)
    counts = Counter(c for c in outside if c is not None)
    weekends = sum(
        1
        for week in range(instance.weeks)
        if not first <= 7 * week < last and any(row[d] is not None for d in weekend_days(week))
    )
    return replace(
        staff,
        max_shifts={
            s.id: max(0, staff.limit(s.id, instance.horizon) - counts[s.id])
            for s in instance.shifts
        },
        max_minutes=max(0, staff.max_minutes - minutes),
        min_minutes=max(0, staff.min_minutes - minutes),
        max_weekends=max(0, staff.max_weekends - weekends),
        days_off=frozenset(d - first for d in staff.days_off if first <= d < last),
    )


def _resolve(
    instance: Instance,
    best: Roster,
    best_value: int,
    chosen: list[int],
    days: range,
    deadline: float,
    seed: int,
) -> tuple[str, Roster | None, int | None]:
    """Re-solve the chosen employees over ``days`` with everything else held; the whole
    roster that results and its penalty (the change of the sub-problem's penalty, which
    is exactly the change of the whole's)."""
    first, last = _window(instance, chosen, days)
    sub = _subinstance(instance, best, chosen, days)
    start = Roster(sub.staff_ids, tuple(best.rows[e][first:last] for e in chosen))
    cp = CpRoster(sub)
    cp.fix(
        start,
        ((i, d) for i in range(len(chosen)) for d in range(sub.horizon) if d + first not in days),
    )
    cp.hint(start)
    # One worker with the full LP relaxation proves these small sub-problems optimal in a
    # fraction of a second, where the default portfolio times out.
    seconds = min(1.0, deadline - time.monotonic())
    if seconds < 0.05:
        return "UNKNOWN", None, None
    solver = _solver(1, seconds, seed)
    solver.parameters.linearization_level = 2
    status = solver.solve(cp.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status), None, None
    found = cp.roster(solver)
    rows = list(best.rows)
    for i, e in enumerate(chosen):
        row = best.rows[e][:first] + found.rows[i] + best.rows[e][last:]
        if check_staff(instance, instance.staff[e], row):
            return "INVALID", None, None
        rows[e] = row
    change = sum(penalty(sub, found).values()) - sum(penalty(sub, start).values())
    return solver.status_name(status), Roster(best.staff, tuple(rows)), best_value + change


def _neighbourhood_search(
    best: Roster,
    best_value: int,
    *,
    instance: Instance,
    deadline: float,
    workers: int,
    seed: int,
    bound: Callable[[], int | None],
    report: Callable[[int], bool],
    stopped: Callable[[], bool],
) -> tuple[Roster, int]:
    """Re-solve parts of the best roster until the deadline, keeping any roster as good.

    Each part is a few employees over the horizon or a window of days (see
    :func:`_neighbourhood`), solved as a small instance of its own with the other rows
    held. Sizes grow while parts are solved to optimality and shrink otherwise.
    ``workers`` parts are solved at once, one thread each (CP-SAT releases the
    interpreter lock while it searches)."""
    rng = random.Random(seed)
    staff_count = len(instance.staff)
    size = {"days": min(staff_count, 3), "staff": min(staff_count, 3), "block": min(staff_count, 3)}
    defects = _defects(instance, best)

    def submit(pool: ThreadPoolExecutor) -> None:
        kind = rng.choice(("days", "staff", "block"))
        chosen, days = _neighbourhood(instance, best, defects, kind, size[kind], rng)
        job = pool.submit(
            _resolve, instance, best, best_value, chosen, days, deadline, rng.randrange(1 << 30)
        )
        running[job] = kind

    def finished() -> bool:
        current_bound = bound()
        return (
            stopped()
            or deadline - time.monotonic() < 0.05
            or (current_bound is not None and current_bound >= best_value)
        )

    running: dict[Future, str] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for _ in range(max(1, workers)):
            if not finished():
                submit(pool)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for job in done:
                kind = running.pop(job)
                status, roster, value = job.result()
                if _DEBUG:
                    print(f"    lns {kind} size {size[kind]} {status} {value} best {best_value}")
                # A part started from an older roster still returns a whole valid roster,
                # so it is kept whenever it is at least as good as the best now.
                if roster is not None and value is not None and value <= best_value:
                    if value < best_value:
                        best, best_value = roster, value
                        report(best_value)
                    else:
                        best = roster
                    defects = _defects(instance, best)
                if status == "OPTIMAL":
                    size[kind] = min(staff_count, size[kind] + 1)
                else:
                    size[kind] = max(1, size[kind] - 1)
                if not finished():
                    submit(pool)
    return best, best_value
