"""Column generation for the shift-scheduling model: a proven lower bound and a good roster.

Every rule of the benchmark model is about one employee; only the cover lines tie employees
together. So the problem is written over whole rows: choose one feasible row (a *column*) per
employee so that the rows' penalties plus the cover penalties are least. Its linear
relaxation is solved by column generation — the master (HiGHS) prices the cover lines, and
each employee's best row at those prices is found exactly by a small CP-SAT model of that
employee's rules (the *pricing* problem). The relaxation's value is a lower bound of the
whole problem, far stronger than the compact model's (within a few points of the optimum on
the benchmark), and it is a valid bound at every iteration through the Lagrangian bound
(master value plus every employee's most negative reduced cost). A dive (hold the rows the
relaxation takes most of, generate again, repeat) then gives a roster, which the caller
polishes.

Pure Python over OR-Tools and scipy's HiGHS; no Django.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection

import numpy as np
from ortools.sat.python import cp_model
from scipy.optimize._highspy import _core as highspy

from .cpmodel import CpRoster
from .model import Instance, Roster
from .pricing import Priced, RowProgramme, price_many

SCALE = 1000  # pricing objective coefficients are the duals times SCALE, rounded
_EPS = 1e-6
DIVE_WHOLE = 0.9  # a row the relaxation takes this much of is held in a dive
FULL_EVERY = 3  # every so many rounds all employees are priced
DIVE_SHARE = 0.1  # else this share of the free employees, most taken first
SMOOTHING = 0.6  # weight of the best-bound prices in the prices each pricing uses


@dataclass(frozen=True)
class Bound:
    """What column generation proved and found: the lower bound; whether it converged (no
    row can improve the relaxation, or the relaxation's value rounded up already equals
    the bound) and the master's last value then; the roster of the dive; the pool's size;
    and, per employee and day, what the last relaxation settles."""

    lower: int | None
    relaxation: float | None
    converged: bool
    roster: Roster | None
    iterations: int
    columns: int
    seconds: float
    relaxation_seconds: float = 0.0
    settled: Roster | None = None  # the relaxation's rows where they all agree, else ""


class _Pricer:
    """One employee's rules as a CP-SAT model; its objective is reset for every pricing."""

    def __init__(self, instance: Instance, e: int) -> None:
        staff = instance.staff[e]
        alone = Instance(instance.horizon, instance.shifts, (staff,), name=instance.name)
        self.cp = CpRoster(alone)
        self.cells = [(d, s, var) for (_, d, s), var in self.cp.x.items()]
        self.horizon = instance.horizon
        self.shift_ids = instance.shift_ids

    def best_row(
        self, cost: np.ndarray, seconds: float
    ) -> tuple[tuple[str | None, ...] | None, bool]:
        """The row of least ``cost[d, s]`` summed over its worked cells, and whether proven."""
        model = self.cp.model
        model.minimize(sum(round(cost[d, s] * SCALE) * var for d, s, var in self.cells))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, False
        row: list[str | None] = [None] * self.horizon
        for d, s, var in self.cells:
            if solver.boolean_value(var):
                row[d] = self.shift_ids[s]
        return tuple(row), status == cp_model.OPTIMAL


ROUND_CELLS = 40_000_000  # pricing is cut into pieces of about so many table cells


class _Programmes:
    """Every employee's row programme, run here."""

    def __init__(self, instance: Instance, cell_cost: np.ndarray) -> None:
        self.cell_cost = cell_cost
        self.each = [RowProgramme(instance, e) for e in range(len(instance.staff))]
        self.n = 1

    def pieces(self, asked: list[int]) -> list[list[int]]:
        """``asked`` cut into pieces of about :data:`ROUND_CELLS` cells of tables, so that a
        round of pricing can stop between two of them at a deadline."""
        pieces: list[list[int]] = [[]]
        cells = 0
        for e in asked:
            if cells >= ROUND_CELLS * self.n and pieces[-1]:
                pieces.append([])
                cells = 0
            pieces[-1].append(e)
            cells += self.each[e].table_size
        return [p for p in pieces if p]

    def price(self, asked: list[int], prices: np.ndarray) -> list[tuple[int, Priced]]:
        return _price(self.each, self.cell_cost, asked, prices)

    def close(self) -> None:
        pass


def _serve(connection: Connection, instance: Instance, cell_cost: np.ndarray, mine: list[int]):
    """A pricing process: the row programmes of employees ``mine``, priced on request."""
    programmes = {e: RowProgramme(instance, e) for e in mine}
    while True:
        message = connection.recv()
        if message is None:
            return
        asked, prices = message
        connection.send(_price(programmes, cell_cost, asked, prices))


def _price(
    programmes: list[RowProgramme] | dict[int, RowProgramme],
    cell_cost: np.ndarray,
    asked: list[int],
    prices: np.ndarray,
) -> list[tuple[int, Priced]]:
    """Employees ``asked`` priced at cover ``prices`` (alike programmes run as one)."""
    answers = price_many([programmes[e] for e in asked], [cell_cost[e] - prices for e in asked])
    return list(zip(asked, answers, strict=True))


class _ProcessProgrammes(_Programmes):
    """The row programmes shared out over ``processes`` forked processes, employee ``e`` to
    process ``e % processes`` (each keeps its employees' multipliers between calls). The
    programme is numpy operations on small arrays, bound by the interpreter, so threads
    would not run two at once."""

    def __init__(self, instance: Instance, cell_cost: np.ndarray, processes: int) -> None:
        context = multiprocessing.get_context("fork")
        self.each = [RowProgramme(instance, e) for e in range(len(instance.staff))]
        self.connections: list[Connection] = []
        self.processes = []
        self.n = processes
        for k in range(processes):
            mine = list(range(k, len(instance.staff), processes))
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, instance, cell_cost, mine), daemon=True
            )
            process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)

    def price(self, asked: list[int], prices: np.ndarray) -> list[tuple[int, Priced]]:
        for k, connection in enumerate(self.connections):
            connection.send(([e for e in asked if e % self.n == k], prices))
        answers: list[tuple[int, Priced]] = []
        for connection in self.connections:
            answers += connection.recv()
        return answers

    def close(self) -> None:
        for connection, process in zip(self.connections, self.processes, strict=True):
            with contextlib.suppress(OSError):
                connection.send(None)
            process.join(timeout=1)
            if process.is_alive():
                process.kill()
            connection.close()


class ColumnGeneration:
    """The master problem over a growing pool of rows, and one pricer per employee."""

    def __init__(self, instance: Instance, processes: int = 1) -> None:
        self.instance = instance
        horizon, shifts = instance.horizon, instance.shifts
        self.shift_index = {s.id: i for i, s in enumerate(shifts)}
        staff_index = {e.id: i for i, e in enumerate(instance.staff)}
        n_staff, n_shifts = len(instance.staff), len(shifts)
        # Cost of working shift s on day d for employee e (requests), and the constant of
        # on-requests (paid unless met).
        self.cell_cost = np.zeros((n_staff, horizon, n_shifts))
        self.constant = np.zeros(n_staff)
        for r in instance.on_requests:
            e = staff_index[r.staff]
            self.constant[e] += r.weight
            self.cell_cost[e, r.day, self.shift_index[r.shift]] -= r.weight
        for r in instance.off_requests:
            self.cell_cost[staff_index[r.staff], r.day, self.shift_index[r.shift]] += r.weight
        self.requirement = np.zeros((horizon, n_shifts))
        self.under = np.zeros((horizon, n_shifts))
        self.over = np.zeros((horizon, n_shifts))
        for c in instance.cover:
            s = self.shift_index[c.shift]
            self.requirement[c.day, s] += c.requirement
            self.under[c.day, s] = c.under_weight
            self.over[c.day, s] = c.over_weight
        self.programmes: _Programmes = (
            _ProcessProgrammes(instance, self.cell_cost, processes)
            if processes > 1
            else _Programmes(instance, self.cell_cost)
        )
        self._pricers: dict[int, _Pricer] = {}  # built when first needed
        self.pool: list[tuple[int, tuple[str | None, ...]]] = []
        self._seen: set[tuple[int, tuple[str | None, ...]]] = set()
        self.fixed: dict[int, int] = {}  # employee -> pool index held at 1 by a dive
        self._master()
        self._first = 2 * self.requirement.size  # HiGHS index of the pool's first column

    def _master(self) -> None:
        """The master's relaxation in HiGHS: one row per employee (= 1), one per cover line
        (= requirement), an under and an over column per cover line; rows are added as
        columns by :meth:`add` and the simplex restarts from the last basis."""
        n_staff = len(self.instance.staff)
        cover = self.requirement.size
        self.highs = highs = highspy._Highs()
        for name, value in (("output_flag", False), ("presolve", "off"), ("threads", 1)):
            highs.setOptionValue(name, value)
        rhs = np.concatenate([np.ones(n_staff), self.requirement.ravel()])
        empty_i, empty_f = np.empty(0, dtype=np.int32), np.empty(0)
        highs.addRows(len(rhs), rhs, rhs, 0, empty_i, empty_i, empty_f)
        rows = n_staff + np.repeat(np.arange(cover, dtype=np.int32), 2)
        costs = np.column_stack([self.under.ravel(), self.over.ravel()]).ravel()
        highs.addCols(
            2 * cover,
            costs,
            np.zeros(2 * cover),
            np.full(2 * cover, highspy.kHighsInf),
            2 * cover,
            np.arange(2 * cover, dtype=np.int32),
            rows.astype(np.int32),
            np.tile([1.0, -1.0], cover),
        )

    def pricer(self, e: int) -> _Pricer:
        if e not in self._pricers:
            self._pricers[e] = _Pricer(self.instance, e)
        return self._pricers[e]

    # --- the pool ------------------------------------------------------------------------

    def add(self, e: int, row: tuple[str | None, ...]) -> bool:
        key = (e, row)
        if key in self._seen:
            return False
        self._seen.add(key)
        self.pool.append(key)
        n_staff = len(self.instance.staff)
        n_shifts = len(self.instance.shifts)
        rows = [e] + [
            n_staff + d * n_shifts + self.shift_index[s] for d, s in enumerate(row) if s is not None
        ]
        self.highs.addCols(
            1,
            np.array([self.row_cost(e, row)]),
            np.zeros(1),
            np.ones(1),
            len(rows),
            np.zeros(1, dtype=np.int32),
            np.array(rows, dtype=np.int32),
            np.ones(len(rows)),
        )
        return True

    def add_roster(self, roster: Roster) -> None:
        rows = dict(zip(roster.staff, roster.rows, strict=True))
        for e, staff in enumerate(self.instance.staff):
            if staff.id in rows:
                self.add(e, tuple(rows[staff.id]))

    def row_cost(self, e: int, row: tuple[str | None, ...]) -> float:
        cost = self.constant[e]
        for d, shift in enumerate(row):
            if shift is not None:
                cost += self.cell_cost[e, d, self.shift_index[shift]]
        return cost

    # --- the steps -----------------------------------------------------------------------

    def relax(self) -> tuple[float, np.ndarray, np.ndarray]:
        """Solve the master's relaxation: its value, the employees' and the cover duals
        (the pool's values are then in :attr:`values`)."""
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("the rostering master programme did not solve")
        solution = self.highs.getSolution()
        duals = np.array(solution.row_dual)
        self.values = np.array(solution.col_value[self._first :])
        value = self.highs.getInfo().objective_function_value
        n_staff = len(self.instance.staff)
        return value, duals[:n_staff], duals[n_staff:].reshape(self.requirement.shape)

    def price(
        self,
        prices: np.ndarray,
        staff_duals: np.ndarray,
        cover_duals: np.ndarray,
        *,
        exact: bool,
        seconds: float = 1.0,
        threads: int = 2,
        only: set[int] | None = None,
        deadline: float | None = None,
    ) -> tuple[set[int], np.ndarray]:
        """Price every free employee's rows at cover ``prices`` and add each best row whose
        reduced cost at the master's duals is negative (``only`` those employees, if given).
        Returns the employees who got a row and, per employee, a proven lower bound on its
        cheapest row at ``prices`` (what the Lagrangian bound adds up; 0 for those not
        priced).

        The row programme prices first; with ``exact``, CP-SAT settles the employees it
        leaves open (a multiplier gap on rule 4) when the programme found nothing to add.
        Past ``deadline`` (a ``time.monotonic()`` value) the round stops between two pieces
        of employees; :attr:`complete` then says False and ``lowest`` is no bound."""
        n_staff = len(self.instance.staff)
        lowest = np.zeros(n_staff)
        open_: list[int] = []
        added: set[int] = set()
        asked = [e for e in range(n_staff) if e not in self.fixed and (only is None or e in only)]
        answers: list[tuple[int, Priced]] = []
        self.complete = True
        for piece in self.programmes.pieces(asked):
            if deadline is not None and time.monotonic() > deadline:
                self.complete = False
                break
            answers += self.programmes.price(piece, prices)
        for e, priced in answers:
            lowest[e] = self.constant[e] + priced.lower
            if (
                priced.row is not None
                and self._reduced(e, priced.row, staff_duals, cover_duals) < -_EPS
                and self.add(e, priced.row)
            ):
                added.add(e)
            if lowest[e] - staff_duals[e] < -_EPS and priced.lower < priced.cost - _EPS:
                open_.append(e)
        if exact and not added and open_ and self.complete:

            def solve(e: int) -> tuple[int, tuple[str | None, ...] | None, bool]:
                left = seconds if deadline is None else min(seconds, deadline - time.monotonic())
                if left <= 0.01:
                    self.complete = False
                    return e, None, False
                row, proven = self.pricer(e).best_row(self.cell_cost[e] - prices, left)
                return e, row, proven

            with ThreadPoolExecutor(max_workers=threads) as pool:
                answers = list(pool.map(solve, open_))
            slack = self.instance.horizon * 0.5 / SCALE  # rounding of CP-SAT's objective
            for e, row, proven in answers:
                if row is None:
                    continue
                if proven:
                    cheapest = self.row_cost(e, row) - sum(
                        prices[d, self.shift_index[x]] for d, x in enumerate(row) if x is not None
                    )
                    lowest[e] = max(lowest[e], cheapest - slack)
                if self._reduced(e, row, staff_duals, cover_duals) < -_EPS and self.add(e, row):
                    added.add(e)
        return added, lowest

    def lagrangian(self, prices: np.ndarray, lowest: np.ndarray) -> float:
        """The Lagrangian bound at cover ``prices`` (each within [-over, under] weight)."""
        return float((prices * self.requirement).sum() + lowest.sum())

    def _reduced(
        self, e: int, row: tuple[str | None, ...], staff_duals: np.ndarray, cover_duals: np.ndarray
    ) -> float:
        reduced = self.row_cost(e, row) - staff_duals[e]
        for d, shift in enumerate(row):
            if shift is not None:
                reduced -= cover_duals[d, self.shift_index[shift]]
        return reduced

    def settled(self) -> Roster:
        """Per employee and day, the shift (or None for off) that every row the last
        relaxation takes agrees on, or "" where they differ."""
        n_staff, horizon = len(self.instance.staff), self.instance.horizon
        cells: list[list[set]] = [[set() for _ in range(horizon)] for _ in range(n_staff)]
        for j, (e, row) in enumerate(self.pool):
            if self.values[j] > 1e-6:
                for d, shift in enumerate(row):
                    cells[e][d].add(shift)
        rows = tuple(
            tuple(next(iter(day)) if len(day) == 1 else "" for day in cells[e])
            for e in range(n_staff)
        )
        return Roster(self.instance.staff_ids, rows)

    def dive(self, deadline: float, threads: int, node_rounds: int = 2) -> Roster:
        """A roster by diving: hold the rows the relaxation already takes whole (or else the
        one it takes most of) and generate columns again for the employees still free,
        until every employee has a row; past ``deadline`` the rest is rounded at once."""
        n_staff = len(self.instance.staff)
        while len(self.fixed) < n_staff:
            for _ in range(node_rounds):
                _, staff_duals, cover_duals = self.relax()
                if time.monotonic() > deadline:
                    break
                added, _ = self.price(
                    cover_duals,
                    staff_duals,
                    cover_duals,
                    exact=False,
                    threads=threads,
                    deadline=deadline,
                )
                if not added:
                    break
            else:
                self.relax()
            best: dict[int, tuple[float, int]] = {}
            for j, (e, _row) in enumerate(self.pool):
                if e not in self.fixed and (e not in best or self.values[j] > best[e][0]):
                    best[e] = (self.values[j], j)
            # Hold what is (nearly) whole, else the most-taken tenth of the free employees.
            whole = [e for e, (value, _) in best.items() if value >= DIVE_WHOLE]
            if time.monotonic() > deadline:
                whole = list(best)
            elif not whole:
                ranked = sorted(best, key=lambda e: -best[e][0])
                whole = ranked[: max(1, int(len(ranked) * DIVE_SHARE))]
            for e in whole:
                self._hold(e, best[e][1])
        rows = {e: self.pool[j][1] for e, j in self.fixed.items()}
        for e in list(self.fixed):
            self._hold(e, None)
        return Roster(self.instance.staff_ids, tuple(rows[e] for e in range(n_staff)))

    def _hold(self, e: int, j: int | None) -> None:
        """Hold pool row ``j`` at 1 for employee ``e`` (``None``: let the held row go)."""
        if j is None:
            j = self.fixed.pop(e)
            low = 0.0
        else:
            self.fixed[e] = j
            low = 1.0
        index = np.array([self._first + j], dtype=np.int32)
        self.highs.changeColsBounds(1, index, np.array([low]), np.ones(1))


def column_generation(
    instance: Instance,
    seconds: float,
    *,
    start: Roster | None = None,
    threads: int = 2,
    processes: int = 1,
    dive_share: float = 0.4,
) -> Bound:
    """Column generation for at most ``seconds``: the relaxation until it converges or
    ``1 - dive_share`` of the time has gone, then a dive to a roster in at most
    ``dive_share`` of the time."""
    started = time.monotonic()
    cg = ColumnGeneration(instance, processes)
    try:
        return _generate(cg, started, seconds, start, threads, dive_share)
    finally:
        cg.programmes.close()


def _generate(
    cg: ColumnGeneration,
    started: float,
    seconds: float,
    start: Roster | None,
    threads: int,
    dive_share: float,
) -> Bound:
    instance = cg.instance
    if start is not None:
        cg.add_roster(start)
    relax_deadline = started + seconds * (1 - dive_share)
    deadline = started + seconds
    best_bound: float | None = None
    value: float | None = None
    converged = False
    iterations = 0
    # Without a start, price at zero duals once so that every employee has a row.
    if not cg.pool:
        n_staff = len(instance.staff)
        zero = np.zeros(cg.requirement.shape)
        cg.price(zero, np.full(n_staff, 1e9), zero, exact=False, threads=threads, deadline=deadline)
    if {e for e, _ in cg.pool} != set(range(len(instance.staff))):
        # Someone has no row holding their rules: nothing to generate (CP-SAT explains).
        return Bound(None, None, False, None, 0, len(cg.pool), time.monotonic() - started)
    # Prices are smoothed towards those of the best bound so far (Wentges), which damps
    # the duals' swings; when smoothed prices find nothing, the master's own are tried.
    # Between full rounds, only the employees who got a row last time are priced (partial
    # pricing); only a full round gives a bound or proves convergence.
    centre: np.ndarray | None = None
    active: set[int] | None = None
    while time.monotonic() < relax_deadline:
        iterations += 1
        value, staff_duals, cover_duals = cg.relax()
        left = relax_deadline - time.monotonic()
        attempts = (
            [cover_duals]
            if centre is None
            else [
                SMOOTHING * centre + (1 - SMOOTHING) * cover_duals,
                cover_duals,
            ]
        )
        for prices in attempts:
            added, lowest = cg.price(
                prices,
                staff_duals,
                cover_duals,
                exact=prices is cover_duals and active is None,
                seconds=min(2.0, max(0.05, left)),
                threads=threads,
                only=active,
                deadline=relax_deadline,
            )
            if not cg.complete:
                break
            if active is None:
                bound = cg.lagrangian(prices, lowest)
                if best_bound is None or bound > best_bound:
                    best_bound, centre = bound, prices
            if added:
                break
        if not cg.complete:
            break  # out of time in the middle of a round: no bound from it
        if not added and active is None:
            converged = True
            break
        active = added if added and iterations % FULL_EVERY else None
        if best_bound is not None and math.ceil(best_bound - 1e-6) >= math.ceil(value - 1e-6):
            converged = True  # the integer bound can rise no further
            break
    lower = None if best_bound is None else max(0, math.ceil(best_bound - 1e-6))
    relaxed = time.monotonic() - started
    cg.relax()
    settled = cg.settled()
    # The dive gets its share; time the relaxation did not need goes to the caller's next
    # phases (a search of the cells the relaxation leaves open does better than diving).
    roster = cg.dive(min(deadline, time.monotonic() + seconds * dive_share), threads)
    return Bound(
        lower,
        value if converged else None,
        converged,
        roster,
        iterations,
        len(cg.pool),
        time.monotonic() - started,
        relaxed,
        settled,
    )
