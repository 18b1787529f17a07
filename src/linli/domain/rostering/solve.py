"""Solve an :class:`Instance` with OR-Tools CP-SAT within a time limit.

Two phases behind one call: the full model first (it finds a first roster, proves small
instances optimal and gives the lower bound), then a large-neighbourhood search that keeps
most of the best roster fixed and re-solves the rest — a few employees' whole rows, or every
employee over a window of days — accepting any roster at least as good. The returned figure
is the exact evaluator's, never the solver's alone.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .cpmodel import CpRoster
from .evaluate import evaluate, penalty
from .model import Instance, Roster


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
) -> Result:
    """Find a roster holding every hard rule with the least penalty within ``time_limit`` s.

    ``hint`` starts the search from an existing roster, and the result is never worse than
    it when it is valid (it is a warm start: nothing else penalises changes to it).
    ``progress`` is called with a :class:`Progress` when the full-model phase ends and on each
    improvement after it, and may return True to stop early; the full-model phase itself is
    not interrupted (CP-SAT runs it without a Python callback). ``full_share`` is the part of
    the time given to the full model (at least 5 s or half the limit) before the
    neighbourhood search takes over; a proof of optimality ends the search at once.
    """
    started = time.monotonic()
    cp = CpRoster(instance)
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

    # Phase 1: the full model.
    if hint is not None:
        cp.hint(hint)
    # Small instances are proven optimal here within seconds; give them at least that.
    first_phase = max(time_limit * full_share, min(time_limit / 2, 5.0))
    solver = _solver(workers, max(0.1, first_phase), seed)
    status = solver.solve(cp.model)
    if status == cp_model.INFEASIBLE:
        from .explain import explain_infeasible

        return Result(None, None, None, {}, "infeasible", elapsed(), explain_infeasible(instance))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best, best_value = _read(cp, solver)
        report(best_value, round(solver.best_objective_bound), "full model")
    if status == cp_model.OPTIMAL:
        bound = best_value
    elif best is None and not stopped:
        # No roster yet: run the full model until its first roster, then search around it.
        solver = _solver(workers, max(0.1, time_limit - elapsed()), seed + 1)
        status = solver.solve(cp.model, _Watcher(lambda o, b: True))
        if status == cp_model.INFEASIBLE:
            from .explain import explain_infeasible

            explanation = explain_infeasible(instance)
            return Result(None, None, None, {}, "infeasible", elapsed(), explanation)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best, best_value = _read(cp, solver)
            report(best_value, round(solver.best_objective_bound), "full model")
        if status == cp_model.OPTIMAL:
            bound = best_value

    if hint is not None and not stopped:
        # Never return worse than the roster we were asked to start from, if it is valid.
        given = evaluate(instance, hint)
        if given.feasible and (best_value is None or given.objective < best_value):
            best = Roster(instance.staff_ids, tuple(hint.row(e) for e in instance.staff_ids))
            best_value = given.objective

    # Phase 2: large-neighbourhood search around the best roster.
    if best is not None and best_value is not None and not stopped:
        best, best_value = _neighbourhood_search(
            cp,
            best,
            best_value,
            deadline=started + time_limit,
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
    )


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
    for cover in instance.cover:
        count = sum(1 for row in roster.rows if row[cover.day] == cover.shift)
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
    cp: CpRoster,
    best: Roster,
    defects: list[tuple[int, str | None]],
    kind: str,
    size: int,
    rng: random.Random,
) -> set[tuple[int, int]]:
    """The (employee, day) cells to re-solve; everything else stays as in ``best``."""
    instance = cp.instance
    staff_count, horizon = len(instance.staff), instance.horizon
    day, shift = rng.choice(defects) if defects else (rng.randrange(horizon), None)
    if kind == "days":
        first = min(max(0, day - rng.randrange(size)), horizon - size)
        return {(e, d) for e in range(staff_count) for d in range(first, first + size)}
    # Employees who could take the defect's shift that day but do not, then others.
    shift_index = {s.id: i for i, s in enumerate(instance.shifts)}
    able = [
        e
        for e in range(staff_count)
        if shift is not None
        and best.rows[e][day] != shift
        and any(s == shift_index[shift] for s, _ in cp.cells[e, day])
    ]
    rng.shuffle(able)
    others = [e for e in range(staff_count) if e not in able]
    rng.shuffle(others)
    chosen = (able[: max(1, size // 2)] + others)[:size]
    if kind == "staff":
        days = range(horizon)
    else:
        first = min(max(0, day - 7), max(0, horizon - 14))
        days = range(first, min(horizon, first + 14))
    return {(e, d) for e in chosen for d in days}


def _resolve(
    cp: CpRoster, best: Roster, free: set[tuple[int, int]], seconds: float, seed: int
) -> tuple[str, Roster | None, int | None]:
    instance = cp.instance
    cells = (
        (e, d)
        for e in range(len(instance.staff))
        for d in range(instance.horizon)
        if (e, d) not in free
    )
    cp.fix(best, cells)
    cp.hint(best)
    # One worker with the full LP relaxation proves these small sub-problems optimal in a
    # fraction of a second, where the default portfolio times out.
    solver = _solver(1, seconds, seed)
    solver.parameters.linearization_level = 2
    try:
        status = solver.solve(cp.model)
    finally:
        cp.release()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status), None, None
    roster, value = _read(cp, solver)
    return solver.status_name(status), roster, value


def _neighbourhood_search(
    cp: CpRoster,
    best: Roster,
    best_value: int,
    *,
    deadline: float,
    workers: int,
    seed: int,
    bound: Callable[[], int | None],
    report: Callable[[int], bool],
    stopped: Callable[[], bool],
) -> tuple[Roster, int]:
    """Re-solve parts of the best roster until the deadline, keeping any roster as good.

    Neighbourhoods are centred on a defect (a cover short or over, an unmet request) when
    there is one: a window of days around it for everyone ("days"), or a few employees who
    could fill it over the whole horizon ("staff"), or more of them over a fortnight
    ("block"). Sizes grow while sub-problems are solved to optimality and shrink otherwise.
    ``workers`` sub-problems run at once, each on its own copy of the model, one thread each
    (CP-SAT releases the interpreter lock while it searches).
    """
    instance = cp.instance
    rng = random.Random(seed)
    staff_count, horizon = len(instance.staff), instance.horizon
    size = {"days": min(horizon, 7), "staff": min(staff_count, 3), "block": min(staff_count, 6)}
    limits = {"days": horizon, "staff": staff_count, "block": staff_count}
    models = [cp] + [CpRoster(instance) for _ in range(max(1, workers) - 1)]
    defects = _defects(instance, best)

    def submit(pool: ThreadPoolExecutor, model: CpRoster) -> Future:
        kind = rng.choice(("days", "staff", "block"))
        free = _neighbourhood(model, best, defects, kind, size[kind], rng)
        seconds = max(0.05, min(1.0, deadline - time.monotonic()))
        job = pool.submit(_resolve, model, best, free, seconds, rng.randrange(1 << 30))
        running[job] = (model, kind)
        return job

    def finished() -> bool:
        current_bound = bound()
        return (
            stopped()
            or deadline - time.monotonic() < 0.05
            or (current_bound is not None and current_bound >= best_value)
        )

    running: dict[Future, tuple[CpRoster, str]] = {}
    with ThreadPoolExecutor(max_workers=len(models)) as pool:
        for model in models:
            if not finished():
                submit(pool, model)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for job in done:
                model, kind = running.pop(job)
                status, roster, value = job.result()
                if _DEBUG:
                    print(f"    lns {kind} size {size[kind]} {status} {value} best {best_value}")
                # A sub-problem started from an older roster still returns a whole valid
                # roster, so it is kept whenever it is at least as good as the best now.
                if roster is not None and value is not None and value <= best_value:
                    if value < best_value:
                        best, best_value = roster, value
                        report(best_value)
                    else:
                        best = roster
                    defects = _defects(instance, best)
                if status == "OPTIMAL":
                    size[kind] = min(limits[kind], size[kind] + 1)
                else:
                    size[kind] = max(1, size[kind] - 1)
                if not finished():
                    submit(pool, model)
    return best, best_value
