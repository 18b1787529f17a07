"""Optimal guardian plans: a linear programme solved by HiGHS, grown by column generation.

Objective, lexicographic: (1) most primary roles filled, (2) then most backup roles,
(3) then least cost = Σ dist(ward, primary) + backup_distance · Σ dist(ward, backup)
+ change · (roles whose volunteer differs from the plan in force, or that are left empty).
The levels are folded into one objective with weights large enough that one more filled
role always outweighs any cost.

The plan is an integer programme: one variable per (ward, volunteer, role) the hard rules
allow; each ward role filled at most once; each volunteer within capacity per role; a
volunteer never both guardians of one ward. Its linear relaxation is almost always
integral on these instances, and far faster to solve, so:

1. the hard rules and costs are computed for every pair at once as numpy matrices;
2. the relaxation is solved over the cheapest few candidates of every ward role (and the
   plan in force), then every other candidate is priced with the duals and those that
   could improve the relaxation are added, until none can (column generation): the
   relaxation is then solved over *all* candidates. One HiGHS instance holds the
   programme, starts from every ward role's cheapest candidate and keeps its basis as
   columns come in (``programme.py``);
3. an integral optimum of the relaxation is an optimal plan. Otherwise, rarely, HiGHS'
   branch and bound solves the integer programme with a zero gap: first over the
   relaxation's fractional columns alone, then, if that does not meet the relaxation's
   bound, over every candidate that reduced-cost fixing cannot rule out.

Either way the plan is proven optimal; ``Plan.method`` says which path proved it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .explain import gap_reason
from .model import ROLES, Assignment, Gap, Plan, Scenario
from .programme import Programme

CANDIDATES = 6  # cheapest candidates per ward role in the first restricted relaxation
_INTEGRAL = 1e-6


@dataclass
class Problem:
    """Costs and candidates of one scenario, role 0 = primary, role 1 = backup."""

    cost: np.ndarray  # (2, wards, volunteers) column cost, inf where the hard rules forbid
    capacity: np.ndarray  # (2, volunteers) capacity left after pins
    reward: np.ndarray  # (2,) weight of one filled role
    current: np.ndarray  # (2, wards) volunteer in force: index, -1 none, -2 not in the scenario
    chosen: np.ndarray  # (2, wards) volunteer index of each pinned role, -1 elsewhere
    dist: np.ndarray  # (wards, volunteers) metres
    allowed: np.ndarray  # (wards, volunteers) the hard rules allow the pair (either role)


def solve(scenario: Scenario, *, time_limit: float = 30.0, candidates: int = CANDIDATES) -> Plan:
    """The optimal plan for one scenario (one community)."""
    started = time.perf_counter()
    problem = build_problem(scenario)
    chosen = problem.chosen.copy()
    if not np.isfinite(problem.cost).any():
        return _plan(scenario, problem, chosen, time.perf_counter() - started, "empty")
    deadline = started + time_limit
    programme = Programme(problem.cost, problem.reward, problem.capacity)
    programme.add(_first_columns(problem, candidates))
    programme.crash()
    while True:
        x, duals = programme.relaxation(deadline)
        entering = _price(problem, programme.column, duals)
        if not entering.size:
            break
        programme.add(entering)
    method = "relaxation"
    if np.any(np.abs(x - np.round(x)) > _INTEGRAL):
        x = _branch_and_bound(problem, programme, x, duals, deadline)
        method = "branch-and-bound"
    role, wi, vi = programme.columns[x > 0.5].T
    chosen[role, wi] = vi
    return _plan(scenario, problem, chosen, time.perf_counter() - started, method)


def build_problem(scenario: Scenario) -> Problem:
    wards, volunteers = scenario.wards, scenario.volunteers
    n_w, n_v = len(wards), len(volunteers)
    compounds: dict[str, int] = {}
    for name in [w.compound for w in wards] + [v.compound for v in volunteers]:
        compounds.setdefault(name, len(compounds))
    ward_compound = np.array([compounds[w.compound] for w in wards], dtype=np.int64)
    # May volunteer v enter compound c: lives there or holds a pass.
    enters = np.zeros((n_v, len(compounds)), dtype=bool)
    for vi, v in enumerate(volunteers):
        enters[vi, compounds[v.compound]] = True
        for name in v.passes:
            if name in compounds:
                enters[vi, compounds[name]] = True
    sealed = np.array([w.compound in scenario.sealed for w in wards], dtype=bool)
    allowed = ~sealed[:, None] | enters[:, ward_compound].T
    for need in sorted({s for w in wards for s in w.needs}):
        needs = np.array([need in w.needs for w in wards], dtype=bool)
        has = np.array([need in v.skills for v in volunteers], dtype=bool)
        allowed &= ~needs[:, None] | has[None, :]
    minor = np.array([w.minor for w in wards], dtype=bool)
    vetted = np.array([v.vetted for v in volunteers], dtype=bool)
    active = np.array([v.status == "active" for v in volunteers], dtype=bool)
    allowed &= (~minor[:, None] | vetted[None, :]) & active[None, :]

    ward_xy = np.array([(w.x, w.y) for w in wards], dtype=float).reshape(n_w, 2)
    volunteer_xy = np.array([(v.x, v.y) for v in volunteers], dtype=float).reshape(n_v, 2)
    dist = np.hypot(
        ward_xy[:, 0, None] - volunteer_xy[None, :, 0],
        ward_xy[:, 1, None] - volunteer_xy[None, :, 1],
    )

    index = {v.id: vi for vi, v in enumerate(volunteers)}
    ward_index = {w.id: wi for wi, w in enumerate(wards)}
    capacity = np.array(
        [[v.capacity_for(role) for v in volunteers] for role in ROLES], dtype=np.int64
    ).reshape(2, n_v)
    current = np.full((2, n_w), -1, dtype=np.int64)
    for (ward_id, name), vid in scenario.current.items():
        if ward_id in ward_index:  # stale entries are harmless
            current[ROLES.index(name), ward_index[ward_id]] = index.get(vid, -2)
    chosen = np.full((2, n_w), -1, dtype=np.int64)
    for (ward_id, name), vid in scenario.pinned.items():
        role, wi, vi = ROLES.index(name), ward_index[ward_id], index[vid]
        chosen[role, wi] = vi
        capacity[role, vi] -= 1
    weight = (1.0, scenario.backup_distance)
    cost = np.empty((2, n_w, n_v))
    for role in range(2):
        cost[role] = weight[role] * dist
        # Filling a role with anyone but the volunteer in force costs `change`, and so does
        # leaving it empty: that constant is taken off every column of the role, which
        # leaves -change on the column of the volunteer in force.
        in_force = np.nonzero(current[role] >= 0)[0]
        cost[role, in_force, current[role, in_force]] -= scenario.change
        cost[role][~allowed] = np.inf
        cost[role][:, capacity[role] <= 0] = np.inf
    for role in range(2):
        pinned = np.nonzero(chosen[role] >= 0)[0]
        cost[role, pinned, :] = np.inf  # the role is filled by the pin
        cost[1 - role, pinned, chosen[role, pinned]] = np.inf  # and cannot take the other
    finite = np.where(np.isfinite(cost), np.abs(cost), 0.0)
    # One more filled backup role outweighs any change in cost; one more primary role
    # outweighs every backup role and any cost.
    backup_reward = finite.max(axis=2, initial=0.0).sum() + 1.0
    primary_reward = backup_reward * (n_w + 1)
    return Problem(
        cost=cost,
        capacity=capacity,
        reward=np.array([primary_reward, backup_reward]),
        current=current,
        chosen=chosen,
        dist=dist,
        allowed=allowed,
    )


def _first_columns(problem: Problem, k: int) -> np.ndarray:
    """The cheapest ``k`` candidates of every ward role, and the plan in force."""
    cost = problem.cost
    n_v = cost.shape[2]
    if k >= n_v:
        return np.argwhere(np.isfinite(cost))
    mask = np.zeros(cost.shape, dtype=bool)
    np.put_along_axis(mask, np.argpartition(cost, k - 1, axis=2)[:, :, :k], True, axis=2)
    role, wi = np.nonzero(problem.current >= 0)
    mask[role, wi, problem.current[role, wi]] = True
    return np.argwhere(mask & np.isfinite(cost))


def _reduced_costs(problem: Problem, duals: np.ndarray) -> np.ndarray:
    """Reduced cost of every candidate (inf where the hard rules forbid it).

    A column whose partner role (same ward and volunteer) is not in the relaxation has no
    pair row yet; adding one starts its dual at zero, so the figure is exact for it too."""
    _, n_w, n_v = problem.cost.shape
    ward_dual = duals[: 2 * n_w].reshape(2, n_w)
    volunteer_dual = duals[2 * n_w : 2 * n_w + 2 * n_v].reshape(2, n_v)
    return (
        problem.cost
        - problem.reward[:, None, None]
        - ward_dual[:, :, None]
        - volunteer_dual[:, None, :]
    )


def _tolerance(problem: Problem) -> float:
    return 1e-9 * problem.reward[0] + 1e-7


def _price(problem: Problem, column: np.ndarray, duals: np.ndarray) -> np.ndarray:
    """Candidates not yet in the relaxation that could improve it (negative reduced cost)."""
    n_v = problem.cost.shape[2]
    reduced = _reduced_costs(problem, duals)
    reduced[column >= 0] = np.inf
    # Per ward role, the few most negative; enough to converge in a handful of rounds.
    k = min(CANDIDATES, n_v)
    mask = reduced < -_tolerance(problem)
    if not mask.any():
        return np.empty((0, 3), dtype=np.int64)
    if k < n_v:
        best = np.argpartition(reduced, k - 1, axis=2)[:, :, :k]
        keep = np.zeros(mask.shape, dtype=bool)
        np.put_along_axis(keep, best, True, axis=2)
        mask &= keep
    return np.argwhere(mask)


def _branch_and_bound(
    problem: Problem, programme: Programme, relaxed: np.ndarray, duals: np.ndarray, deadline: float
) -> np.ndarray:
    """The integer optimum when the relaxation's is fractional.

    The relaxation bounds the optimum from below. Its fractional part is almost always a tie
    between equally good plans, so the columns it sets to 0 or 1 are kept and only the
    fractional ones are searched first; a plan that meets the bound is optimal. Otherwise
    an integer plan over the columns at hand bounds the optimum from above; a column whose
    reduced cost exceeds the gap is 0 in every better plan (reduced-cost fixing), so the
    integer programme over the rest is exact and small."""
    bound = programme.objective(relaxed)
    fractional = np.abs(relaxed - np.round(relaxed)) > _INTEGRAL
    incumbent = programme.integer(deadline, np.where(fractional, np.nan, np.round(relaxed)))
    if programme.objective(incumbent) - bound > _tolerance(problem):
        incumbent = programme.integer(deadline)
    gap = programme.objective(incumbent) - bound
    if gap <= _tolerance(problem):
        return incumbent  # it meets the relaxation's bound: optimal
    keep = _reduced_costs(problem, duals) <= gap + _tolerance(problem)
    keep &= np.isfinite(problem.cost) & (programme.column < 0)
    if not keep.any():
        return incumbent
    programme.add(np.argwhere(keep))
    return programme.integer(deadline)


def _plan(
    scenario: Scenario, problem: Problem, chosen: np.ndarray, seconds: float, method: str
) -> Plan:
    """The plan of ``chosen`` (volunteer index per role and ward, -1 for none)."""
    wards, volunteers = scenario.wards, scenario.volunteers
    n_v = len(volunteers)
    filled = chosen >= 0
    had = problem.current != -1
    changed = int((had & (chosen != problem.current)).sum())
    role, wi = np.nonzero(filled)
    metres = problem.dist[wi, chosen[role, wi]]
    cost = float(metres[role == 0].sum() + scenario.backup_distance * metres[role == 1].sum())
    cost += scenario.change * changed
    load = {name: np.bincount(chosen[r][filled[r]], minlength=n_v) for r, name in enumerate(ROLES)}
    ids = [v.id for v in volunteers]
    assignments, gaps = [], []
    reasons: dict[tuple, str] = {}  # the reason depends on these and the final loads only
    for w, ward in enumerate(wards):
        p, b = int(chosen[0, w]), int(chosen[1, w])
        assignments.append(
            Assignment(
                ward=ward.id, primary=ids[p] if p >= 0 else None, backup=ids[b] if b >= 0 else None
            )
        )
        for r, name in enumerate(ROLES):
            if chosen[r, w] >= 0:
                continue
            key = (ward.compound, ward.needs, ward.minor, name)
            if key not in reasons:
                reachable = np.flatnonzero(problem.allowed[w]).tolist()
                reasons[key] = gap_reason(scenario, ward, name, load, reachable)
            gaps.append(Gap(ward=ward.id, role=name, reason=reasons[key]))
    return Plan(
        assignments=tuple(assignments),
        gaps=tuple(gaps),
        cost=cost,
        primary_filled=int(filled[0].sum()),
        backup_filled=int(filled[1].sum()),
        changed=changed,
        optimal=True,
        seconds=seconds,
        method=method,
    )
