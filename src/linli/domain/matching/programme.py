"""The planner's linear and integer programme, held in one HiGHS instance that grows.

Rows: one per ward role (at most one volunteer), one per volunteer role (capacity), and one
per (ward, volunteer) pair whose two role columns are both in the programme (not both
guardians of one ward). Columns are (role, ward, volunteer) candidates, added in batches by
column generation; HiGHS keeps its basis between batches, so each re-solve starts warm.

HiGHS is driven through its own Python bindings, not ``linprog``: ``linprog`` rebuilds and
re-checks the whole programme on every call, which cost more than the simplex itself on a
community. The bindings are the copy scipy ships (``scipy.optimize._highspy``, HiGHS linked
in statically): the ``highspy`` wheel brings a shared ``libhighs.so.1`` of another version
than the one OR-Tools bundles under the same name, and whichever loads second in a process
fails to import. scipy is pinned (``constraints.txt``), so this module is tied to its copy.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from scipy.optimize._highspy import _core as highspy

_INF = highspy.kHighsInf
_OPTIMAL = highspy.HighsModelStatus.kOptimal
_LOWER, _UPPER, _BASIC = (
    highspy.HighsBasisStatus.kLower,
    highspy.HighsBasisStatus.kUpper,
    highspy.HighsBasisStatus.kBasic,
)
# Presolve costs more than it saves on programmes this small. Dantzig's pricing rule (the
# most infeasible row leaves) was 15% faster than the default dual steepest edge on a
# sample of 300 communities, and ended fractional less often. The dual simplex perturbs
# costs in proportion to their size, and the fill rewards make every cost huge (~1e8)
# beside the metres that decide between plans: a hundredth of the default perturbation was
# 12-17% faster on the same sample and on 400 repairs. Neither changes the optimum found.
_OPTIONS = (
    ("output_flag", False),
    ("presolve", "off"),
    ("threads", 1),
    ("simplex_dual_edge_weight_strategy", 0),
    ("dual_simplex_cost_perturbation_multiplier", 0.01),
)


class Programme:
    def __init__(self, cost: np.ndarray, reward: np.ndarray, capacity: np.ndarray) -> None:
        _, self.n_w, self.n_v = cost.shape
        self.cost, self.reward = cost, reward
        self.column = np.full(cost.shape, -1, dtype=np.int64)  # (role, ward, volunteer) -> column
        self.columns = np.empty((0, 3), dtype=np.int64)
        self.paired = np.zeros((self.n_w, self.n_v), dtype=bool)
        self.highs = highspy._Highs()
        for name, value in _OPTIONS:
            self.highs.setOptionValue(name, value)
        fixed = 2 * self.n_w + 2 * self.n_v
        self.highs.addRows(
            fixed,
            np.full(fixed, -_INF),
            np.concatenate([np.ones(2 * self.n_w), capacity.reshape(-1).astype(float)]),
            0,
            np.zeros(fixed, dtype=np.int32),
            np.empty(0, dtype=np.int32),
            np.empty(0),
        )

    def add(self, columns: np.ndarray) -> None:
        """Add candidate columns (rows of role, ward, volunteer) and the pair rows they close."""
        if not len(columns):
            return
        role, wi, vi = columns[:, 0], columns[:, 1], columns[:, 2]
        n, first = len(columns), len(self.columns)
        self.column[role, wi, vi] = np.arange(first, first + n)
        self.columns = np.concatenate([self.columns, columns])
        rows = np.empty(2 * n, dtype=np.int32)
        rows[0::2] = role * self.n_w + wi
        rows[1::2] = 2 * self.n_w + role * self.n_v + vi
        self.highs.addCols(
            n,
            self.cost[role, wi, vi] - self.reward[role],
            np.zeros(n),
            np.ones(n),
            2 * n,
            np.arange(0, 2 * n, 2, dtype=np.int32),
            rows,
            np.ones(2 * n),
        )
        partner = self.column[1 - role, wi, vi]
        self._pair(wi[partner >= 0], vi[partner >= 0])

    def _pair(self, wi: np.ndarray, vi: np.ndarray) -> None:
        """Rows "not both guardians" for (ward, volunteer) pairs whose two role columns are in."""
        new = ~self.paired[wi, vi]
        if not new.any():
            return
        pairs = np.unique(wi[new] * self.n_v + vi[new])
        pw, pv = pairs // self.n_v, pairs % self.n_v
        self.paired[pw, pv] = True
        k = len(pairs)
        entries = np.empty(2 * k, dtype=np.int32)
        entries[0::2] = self.column[0, pw, pv]
        entries[1::2] = self.column[1, pw, pv]
        self.highs.addRows(
            k,
            np.full(k, -_INF),
            np.ones(k),
            2 * k,
            np.arange(0, 2 * k, 2, dtype=np.int32),
            entries,
            np.ones(2 * k),
        )

    def crash(self) -> None:
        """Start the dual simplex where every ward role holds its cheapest candidate.

        That candidate is basic and its ward row tight, every other row's slack basic: the
        ward row's dual prices the role at its cheapest candidate, so no candidate has a
        negative reduced cost (a dual feasible basis), and all that is left for the simplex
        is the volunteers over capacity and the volunteers taking both roles of a ward.
        From the all-slack basis it would first build every assignment pivot by pivot
        (30% fewer simplex seconds on a sample of 300 communities). Any start gives the
        same optimum."""
        role, wi, vi = self.columns.T
        group = role * self.n_w + wi  # the ward row of each column
        order = np.lexsort((self.cost[role, wi, vi], group))
        cheapest = order[np.r_[True, group[order][1:] != group[order][:-1]]]
        columns = np.full(len(self.columns), _LOWER, dtype=object)
        columns[cheapest] = _BASIC
        rows = np.full(self.highs.getNumRow(), _BASIC, dtype=object)
        rows[group[cheapest]] = _UPPER
        basis = highspy.HighsBasis()
        basis.col_status = columns.tolist()
        basis.row_status = rows.tolist()
        basis.valid = True
        self.highs.setBasis(basis)

    def relaxation(self, deadline: float) -> tuple[np.ndarray, np.ndarray]:
        """Optimal values of the columns and duals of the ward and volunteer rows."""
        self._run(deadline)
        solution = self.highs.getSolution()
        fixed = 2 * self.n_w + 2 * self.n_v
        return np.array(solution.col_value), np.array(solution.row_dual[:fixed])

    def integer(self, deadline: float, fixed: np.ndarray | None = None) -> np.ndarray:
        """An integer optimum over the columns at hand; ``fixed`` (column -> 0/1, NaN for free)
        restricts the search to the free columns."""
        n = len(self.columns)
        index = np.arange(n, dtype=np.int32)
        self.highs.changeColsIntegrality(n, index, np.ones(n, dtype=np.uint8))
        lower, upper = np.zeros(n), np.ones(n)
        if fixed is not None:
            known = ~np.isnan(fixed)
            lower[known] = upper[known] = fixed[known]
        self.highs.changeColsBounds(n, index, lower, upper)
        self.highs.setOptionValue("presolve", "on")
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        self._run(deadline)
        return np.array(self.highs.getSolution().col_value)

    def _run(self, deadline: float) -> None:
        self.highs.setOptionValue("time_limit", max(deadline - time.perf_counter(), 1.0))
        self.highs.run()
        if self.highs.getModelStatus() != _OPTIMAL:
            # Numerical trouble without presolve (rare): the same programme again, with it.
            self.highs.setOptionValue("presolve", "on")
            self.highs.clearSolver()
            self.highs.run()
            if self.highs.getModelStatus() != _OPTIMAL:
                status: Any = self.highs.getModelStatus()
                raise RuntimeError(
                    f"the planner's programme failed: {self.highs.modelStatusToString(status)}"
                )

    def objective(self, x: np.ndarray) -> float:
        role, wi, vi = self.columns.T
        return float((self.cost[role, wi, vi] - self.reward[role]) @ x)
