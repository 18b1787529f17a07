"""One employee's cheapest row at given cell prices: a dynamic programme over the days.

The state after a day is (that day's shift or off, how long the current work or off block
has run, whether that block started on day 0, minutes worked so far, weekends worked so
far); numpy holds one array per day over all states, so a 28-day row costs a few hundred
array operations. Employees whose programmes differ only in their days off are priced
together (:func:`price_many`): a trailing axis over the employees in every array, their
days off as cells of infinite cost. It holds rules 2, 3 and 5–10 of FORMAT.md exactly, with the horizon-edge
conventions of the evaluator (the blocks touching day 0 or the last day are exempt from the
minimum-run rules). Rule 4 (at most so many shifts of a type) is priced instead: each
binding type gets a Lagrange multiplier raised until the row respects it, and the
programme's value minus the multipliers' share is a lower bound on the true cheapest row
whatever the multipliers — which is what the column generation's bound needs. A row that
still breaks rule 4 is not returned as feasible; the caller can then ask CP-SAT.

The state space grows with the horizon times the minutes and weekends a contract allows
(27 GiB of tables for one employee at 364 days × 32 types). Past :data:`TABLE_LIMIT` cells
a programme is *bounded*: minutes (rules 5–6) and weekends (rule 10) leave the state and are
priced by multipliers like rule 4 (a weekend's multiplier is shared by its Saturday and
Sunday, so the value stays a lower bound), and the row found is checked against them; the
tables then stay within a few MB at any size.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .model import Instance, weekend_days

_INF = math.inf
BATCH_CELLS = 4_000_000  # at most so many table cells (32 MB) in one batch of employees
# An employee whose exact tables would pass this many cells (128 MB) is priced by the
# bounded programme instead (minutes and weekends by multipliers, not in the state).
TABLE_LIMIT = 16_000_000


@dataclass(frozen=True)
class Priced:
    """The best row found that holds every rule (``None`` if none) with its cost, and a
    proven lower bound on the cost of every row that holds every rule."""

    row: tuple[str | None, ...] | None
    cost: float
    lower: float


class RowProgramme:
    def __init__(self, instance: Instance, e: int) -> None:
        staff = self.staff = instance.staff[e]
        self.horizon = horizon = instance.horizon
        shifts = instance.shifts
        self.shift_ids = instance.shift_ids
        self.n_shifts = len(shifts)
        self.allowed = [staff.limit(s.id, horizon) > 0 for s in shifts]
        lengths = [s.minutes for s, ok in zip(shifts, self.allowed, strict=True) if ok]
        self.unit = math.gcd(*lengths) if lengths else 1
        self.minutes = np.array([s.minutes for s in shifts], dtype=float)
        self.units = [s.minutes // self.unit for s in shifts]
        self.max_units = staff.max_minutes // self.unit
        self.min_units = -(-staff.min_minutes // self.unit)
        self.K = staff.max_consecutive
        self.min_work = staff.min_consecutive
        self.min_off = staff.min_days_off
        self.rest = max(1, staff.min_days_off)  # off runs are counted up to the minimum
        self.R = max(self.K, self.rest) + 1
        self.track_weekends = staff.max_weekends < instance.weeks
        self.W = staff.max_weekends + 1 if self.track_weekends else 1
        self.saturdays = {weekend_days(k)[0] for k in range(instance.weeks)}
        self.sundays = {weekend_days(k)[1] for k in range(instance.weeks)}
        index = {s.id: i for i, s in enumerate(shifts)}
        # For each shift t, the shifts s it may follow (t not forbidden after s).
        self.may_follow = [
            [s for s, first in enumerate(shifts) if t_shift.id not in first.forbidden_next]
            for t_shift in shifts
        ]
        del index
        self.limits = [staff.limit(s.id, horizon) for s in shifts]
        self.previous = [[s + 1 for s in after if self.allowed[s]] for after in self.may_follow]
        free_days = horizon - len(staff.days_off)
        most = min(free_days, self.max_units // max(1, min(self.units)))
        binding = [t for t in range(self.n_shifts) if self.allowed[t] and self.limits[t] < most]
        # The binding type with the smallest limit is counted in the state (exact); any
        # other is priced by a multiplier that is kept from one call to the next.
        binding.sort(key=lambda t: self.limits[t])
        self.tracked = binding[0] if binding and self.limits[binding[0]] <= 15 else None
        self.C = self.limits[self.tracked] + 1 if self.tracked is not None else 1
        self.bounded = self.table_size > TABLE_LIMIT
        if self.bounded:
            self.units = [0] * self.n_shifts
            self.max_units = self.min_units = 0
            self.track_weekends, self.W = False, 1
            del self.table_size  # a cached property: computed again for the smaller state
            if self.table_size > TABLE_LIMIT:
                self.tracked, self.C = None, 1
                del self.table_size
            binding = [t for t in range(self.n_shifts) if self.allowed[t] and self.limits[t] < most]
        self.weekend_cap = staff.max_weekends
        self.binding = [t for t in binding if t != self.tracked]
        self.multipliers = np.zeros(self.n_shifts)
        # Shifts alike in length and count are worked in one array operation: starting a
        # block (grouped by units and count), going on with one (also by what they follow).
        starts: dict[tuple, list[int]] = {}
        runs: dict[tuple, list[int]] = {}
        for t in range(self.n_shifts):
            if not self.allowed[t]:
                continue
            alike = (self.units[t], t == self.tracked)
            starts.setdefault(alike, []).append(t)
            if self.previous[t]:
                runs.setdefault((tuple(self.previous[t]), *alike), []).append(t)
        self.start_groups = [_index(ts) for ts in starts.values()]
        self.run_groups = [
            (_index([p - 1 for p in key[0]]), _index(ts)) for key, ts in runs.items()
        ]

    # --- the programme -------------------------------------------------------------------

    def _work(
        self,
        V: np.ndarray,
        ts: slice | list[int],
        where: tuple,
        src: np.ndarray,
        dw: int,
        costs: np.ndarray,
    ) -> None:
        """``V[t+1, *where]`` for the shifts ``ts`` (alike in units and count) takes the
        cheaper of itself and ``src`` (..., minutes, weekends, count, employee) after working
        t at ``costs[t]`` (per employee): minutes up by the units, weekends by dw, the
        tracked count by one."""
        t0 = ts.start - 1 if isinstance(ts, slice) else ts[0] - 1
        m, w, k = src.shape[-4:-1]
        du, dk = self.units[t0], int(t0 == self.tracked)
        if du >= m or dw >= w or dk >= k:
            return
        moved = src[..., : m - du, : w - dw, : k - dk, :]
        cells = (*where, ..., slice(du, None), slice(dw, None), slice(dk, None), slice(None))
        shifts = slice(ts.start - 1, ts.stop - 1) if isinstance(ts, slice) else [t - 1 for t in ts]
        added = moved[None] + costs[shifts][(slice(None), *(None,) * (moved.ndim - 1))]
        if isinstance(ts, slice):  # a view: updated in place
            into = V[(ts, *cells)]
            np.minimum(into, added, out=into)
        else:
            V[(ts, *cells)] = np.minimum(V[(ts, *cells)], added)

    def _weekend(self, day: int, from_work: bool) -> int:
        if not self.track_weekends:
            return 0
        if day in self.saturdays:
            return 1
        if day in self.sundays:
            return 0 if from_work else 1
        return 0

    def _tables(self, cost: np.ndarray, days_off: frozenset[int]) -> np.ndarray:
        """The value of every state on every day, ``cost[d, s, b]`` for employees ``b``
        (the last axis of the tables); nobody works ``days_off``."""
        H, S, K, rest = self.horizon, self.n_shifts, self.K, self.rest
        shape = (self.R, 2, self.max_units + 1, self.W, self.C, cost.shape[-1])
        tables = np.full((H, S + 1, *shape), _INF)
        V = tables[0]
        V[0, 1, 1, 0, 0, 0] = 0.0
        if 0 not in days_off and K >= 1:
            for t in range(S):
                if self.allowed[t] and self.units[t] < shape[2]:
                    V[t + 1, 1, 1, self.units[t], 0, int(t == self.tracked)] = cost[0, t]
        work_from = max(1, self.min_work)
        for d in range(1, H):
            P, V = V, tables[d]
            # Off today: continue an off block (its length counted up to rest), or end a work
            # block (long enough unless it started on day 0).
            if rest == 1:
                V[0, 1] = P[0, 1]
            else:
                V[0, 2:rest] = P[0, 1 : rest - 1]
                np.minimum(P[0, rest - 1], P[0, rest], out=V[0, rest])
            ended = P[1:, 1:, 1].min(axis=(0, 1))
            if work_from <= K:
                np.minimum(ended, P[1:, work_from : K + 1, 0].min(axis=(0, 1)), out=ended)
            np.minimum(V[0, 1, 0], ended, out=V[0, 1, 0])
            if d in days_off or K < 1:
                continue
            # Work shift t today: start a block after an off block long enough (or the
            # one from day 0), or go on with a block shorter than the maximum.
            from_off = np.minimum(P[0, 1:, 1].min(axis=0), P[0, rest, 0])
            weekend_start, weekend_on = self._weekend(d, False), self._weekend(d, True)
            costs = cost[d]
            for ts in self.start_groups:
                self._work(V, ts, (1, 0), from_off, weekend_start, costs)
            if K >= 2:
                for previous, ts in self.run_groups:
                    run = P[previous, 1:K].min(axis=0)
                    self._work(V, ts, (slice(2, K + 1),), run, weekend_on, costs)
        return tables

    def _back(self, tables: np.ndarray, cost: np.ndarray, state: tuple) -> list[int | None]:
        """Follow the tables back from the last day's ``state``: the shift index of each day."""
        row: list[int | None] = [None] * self.horizon
        kind, r, i, m, w, c = state
        for d in range(self.horizon - 1, -1, -1):
            value = tables[d][kind, r, i, m, w, c]
            row[d] = None if kind == 0 else kind - 1
            if d == 0:
                break
            P = tables[d - 1]
            tol = 1e-7 * max(1.0, abs(value))
            found = None
            if kind == 0:
                candidates = [(0, rr, i) for rr in range(1, self.R) if min(rr + 1, self.rest) == r]
                if r == 1 and i == 0:
                    candidates += [
                        (s + 1, rr, ii)
                        for s in range(self.n_shifts)
                        for rr in range(1, self.R)
                        for ii in (0, 1)
                        if ii == 1 or rr >= self.min_work
                    ]
                for cl, cr, ci in candidates:
                    if abs(P[cl, cr, ci, m, w, c] - value) <= tol:
                        found = (cl, cr, ci, m, w, c)
                        break
            else:
                t = kind - 1
                pm, pc = m - self.units[t], c - int(t == self.tracked)
                target = value - cost[d, t]
                if pm >= 0 and pc >= 0:
                    if r == 1:
                        pw = w - self._weekend(d, False)
                        starts = [
                            (0, rr, ii)
                            for rr in range(1, self.R)
                            for ii in (0, 1)
                            if ii == 1 or rr >= self.rest
                        ]
                    else:
                        pw = w - self._weekend(d, True)
                        starts = [(s + 1, r - 1, i) for s in self.may_follow[t]]
                    for cl, cr, ci in starts:
                        if pw >= 0 and abs(P[cl, cr, ci, pm, pw, pc] - target) <= tol:
                            found = (cl, cr, ci, pm, pw, pc)
                            break
            if found is None:
                raise AssertionError(f"no predecessor on day {d} for {(kind, r, i, m, w, c)}")
            kind, r, i, m, w, c = found
        return row

    def cheapest(self, cost: np.ndarray) -> tuple[float, list[int | None] | None]:
        """The cheapest row holding rules 2, 3, 5–10 (and rule 4 for the tracked type) at
        ``cost[d, s]``, or None."""
        tables = self._tables(cost[..., None], self.staff.days_off)
        return self._best(tables[..., 0], cost)

    def _best(self, tables: np.ndarray, cost: np.ndarray) -> tuple[float, list[int | None] | None]:
        last = tables[-1][:, :, :, self.min_units :]
        if not np.isfinite(last).any():
            return _INF, None
        flat = int(np.argmin(last))
        kind, r, i, m, w, c = (int(v) for v in np.unravel_index(flat, last.shape))
        state = (kind, r, i, m + self.min_units, w, c)
        return float(last.flat[flat]), self._back(tables, cost, state)

    @cached_property
    def table_size(self) -> int:
        """Cells of one employee's tables (all days and states)."""
        return (
            self.horizon * (self.n_shifts + 1) * self.R * 2 * (self.max_units + 1) * self.W * self.C
        )

    @cached_property
    def alike(self) -> tuple | None:
        """What programmes must share to be run as one (None: run alone, because rule 4 is
        priced by this employee's own multipliers)."""
        if self.binding or self.bounded:
            return None
        return (
            self.horizon,
            tuple(self.allowed),
            tuple(self.units),
            self.max_units,
            self.min_units,
            self.K,
            self.min_work,
            self.rest,
            self.W,
            self.tracked,
            self.C,
            tuple(self.limits),
            tuple(map(tuple, self.previous)),
        )

    def _row(self, row: list[int | None], cost: np.ndarray, lower: float) -> Priced:
        return Priced(
            tuple(None if s is None else self.shift_ids[s] for s in row), _cost(row, cost), lower
        )

    def price(self, cost: np.ndarray, rounds: int = 4, deadline: float | None = None) -> Priced:
        """The cheapest row holding every rule; rule 4 of the types not tracked in the
        state by multipliers, kept from the last call as the next one's start. Past
        ``deadline`` (a ``time.monotonic()`` value) no further round starts."""
        if self.bounded:
            return self._price_bounded(cost, rounds + 4, deadline)
        multipliers = self.multipliers
        limits = np.array(self.limits, dtype=float)
        best_row, best_cost, lower = None, _INF, -_INF
        scale = max(1.0, float(np.abs(cost).max()))
        for round_ in range(rounds):
            if round_ and deadline is not None and time.monotonic() > deadline:
                break
            value, row = self.cheapest(cost + multipliers[None, :])
            if row is None:
                return Priced(None, _INF, _INF)
            lower = max(lower, value - float(multipliers @ limits))
            counts = np.zeros(self.n_shifts)
            for s in row:
                if s is not None:
                    counts[s] += 1
            over = [t for t in self.binding if counts[t] > self.limits[t]]
            if not over:
                true_cost = _cost(row, cost)
                if true_cost < best_cost:
                    best_row, best_cost = row, true_cost
                if best_cost - lower <= 1e-9 * max(1.0, abs(best_cost)):
                    break
            # Subgradient step: raise the multipliers of types over their limit, lower the
            # others' towards zero.
            step = scale / (2 + round_)
            for t in self.binding:
                excess = (counts[t] - self.limits[t]) / max(1, self.limits[t])
                multipliers[t] = max(0.0, multipliers[t] + step * excess)
        if best_row is None:
            return Priced(None, _INF, lower)
        return self._row(best_row, cost, lower)

    def _price_bounded(self, cost: np.ndarray, rounds: int, deadline: float | None) -> Priced:
        """:meth:`price` with minutes and weekends priced by multipliers too: ``per_minute``
        on every minute worked (positive pushes below the maximum, negative above the
        minimum; bisected, since the minutes worked fall as it rises), and ``per_weekend``
        on every weekend, half of it on each of its two days. Every value is a lower bound:
        the multipliers' share of the limits is taken back off it."""
        state = self.__dict__.setdefault("_bounded_state", [0.0, 0.0])  # per minute, weekend
        limits = np.array(self.limits, dtype=float)
        halves = np.zeros((self.horizon, 1))
        for d in self.saturdays | self.sundays:
            halves[d] = 0.5
        staff = self.staff
        best_row, best_cost, lower = None, _INF, -_INF
        scale = max(1.0, float(np.abs(cost).max()))
        reach = 4 * scale / max(1.0, float(self.minutes.min()))
        low, high = -reach, reach
        for round_ in range(rounds):
            if round_ and deadline is not None and time.monotonic() > deadline:
                break
            per_minute, per_weekend = state
            shaped = (
                cost
                + self.multipliers[None, :]
                + per_minute * self.minutes[None, :]
                + per_weekend * halves
            )
            value, row = self.cheapest(shaped)
            if row is None:
                return Priced(None, _INF, _INF)
            share = per_minute * (staff.max_minutes if per_minute > 0 else staff.min_minutes)
            lower = max(
                lower,
                value - float(self.multipliers @ limits) - share - per_weekend * self.weekend_cap,
            )
            counts = np.zeros(self.n_shifts)
            for s in row:
                if s is not None:
                    counts[s] += 1
            minutes = float(counts @ self.minutes)
            weekends = sum(
                1
                for d in self.saturdays
                if row[d] is not None or (d + 1 < self.horizon and row[d + 1] is not None)
            )
            over = [t for t in self.binding if counts[t] > self.limits[t]]
            if minutes > staff.max_minutes:
                low = per_minute
            elif minutes < staff.min_minutes:
                high = per_minute
            holds = staff.min_minutes <= minutes <= staff.max_minutes
            if not over and holds and weekends <= self.weekend_cap:
                true_cost = _cost(row, cost)
                if true_cost < best_cost:
                    best_row, best_cost = row, true_cost
                if best_cost - lower <= 1e-9 * max(1.0, abs(best_cost)):
                    break
            step = scale / (2 + round_)
            for t in self.binding:
                excess = (counts[t] - self.limits[t]) / max(1, self.limits[t])
                self.multipliers[t] = max(0.0, self.multipliers[t] + step * excess)
            if minutes > staff.max_minutes or minutes < staff.min_minutes:
                state[0] = (low + high) / 2
            excess = (weekends - self.weekend_cap) / max(1, self.weekend_cap)
            state[1] = max(0.0, per_weekend + step * excess)
        if best_row is None:
            return Priced(None, _INF, lower)
        return self._row(best_row, cost, lower)


def _cost(row: list[int | None], cost: np.ndarray) -> float:
    """What ``row`` (shift indexes, None off) costs at ``cost[d, s]``."""
    return float(sum(cost[d, s] for d, s in enumerate(row) if s is not None))


def price_many(programmes: list[RowProgramme], costs: list[np.ndarray]) -> list[Priced]:
    """``programmes[k].price(costs[k])`` for every k, running alike programmes as one."""
    groups: dict[tuple, list[int]] = {}
    for k, programme in enumerate(programmes):
        alike = programme.alike
        groups.setdefault(alike if alike is not None else ("alone", k), []).append(k)
    priced: list[Priced | None] = [None] * len(programmes)
    for members in groups.values():
        if len(members) == 1:
            k = members[0]
            priced[k] = programmes[k].price(costs[k])
            continue
        chunk = max(1, BATCH_CELLS // programmes[members[0]].table_size)
        for at in range(0, len(members), chunk):
            _price_alike(programmes, costs, members[at : at + chunk], priced)
    return priced  # type: ignore[return-value]


def _price_alike(
    programmes: list[RowProgramme],
    costs: list[np.ndarray],
    members: list[int],
    priced: list[Priced | None],
) -> None:
    """Price alike ``members`` in one run of the programme, into ``priced``."""
    common = frozenset.intersection(*(programmes[k].staff.days_off for k in members))
    stacked = np.stack([costs[k] for k in members], axis=-1)
    for b, k in enumerate(members):
        for d in programmes[k].staff.days_off - common:
            stacked[d, :, b] = _INF
    tables = programmes[members[0]]._tables(stacked, common)
    for b, k in enumerate(members):
        value, row = programmes[k]._best(tables[..., b], costs[k])
        priced[k] = (
            Priced(None, _INF, _INF) if row is None else programmes[k]._row(row, costs[k], value)
        )


def _index(shifts: list[int]) -> slice | list[int]:
    """Table indexes (shift + 1) of ``shifts``: a slice when they are consecutive, so that
    numpy works on a view instead of a copy."""
    rows = [t + 1 for t in shifts]
    if rows == list(range(rows[0], rows[0] + len(rows))):
        return slice(rows[0], rows[0] + len(rows))
    return rows
