"""Community-scale rostering: 30 posts, 3 shifts, 200 volunteers, 14 days.

    .venv/bin/python -m bench.rostering_community.run [--time-limit 10] [--seed 1]

Builds the case from the synthetic population, rosters it with the app's path
(``solve_community``: pooled mapping, greedy first roster, the rostering solver, weekly
and fortnight checks) and checks the result with the exact evaluator plus the community
rules. In the same run the plain peer model (one CP-SAT Boolean per volunteer × day ×
shift type, 2 workers, same time limit; ``bench/rostering/peer.py``) solves the same
mapped instance; its roster is scored by the same evaluator.
"""

from __future__ import annotations

import argparse
import time

from bench.rostering.peer import solve_plain
from linli.domain.rostering.community import build_instance
from linli.domain.rostering.community_rules import violations
from linli.domain.rostering.community_solve import solve_community
from linli.domain.rostering.evaluate import evaluate

from .scenario import community_case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.rostering_community.run", description=__doc__)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.monotonic()
    problem = community_case(seed=args.seed)
    built = time.monotonic() - started
    needs = sum(n.minimum for n in problem.needs)
    print(
        f"case: {len({n.post for n in problem.needs})} posts, {len(problem.slots)} shifts, "
        f"{len(problem.people)} volunteers, {problem.days} days, {needs} shifts at minimum, "
        f"{len(problem.requests)} wishes (built in {built:.2f} s)"
    )

    result = solve_community(problem, time_limit=args.time_limit)
    broken = violations(problem, result.placements)
    gap = f"{100 * result.gap:.1f}%" if result.gap is not None else "-"
    print(
        f"linli:  {result.seconds:6.2f} s  objective {result.objective}  bound {result.bound}  "
        f"gap {gap}  rules broken {len(broken)}  below minimum {result.terms['below_minimum']}  "
        f"below preferred {result.terms['below_preferred']}  wishes unmet "
        f"{result.terms['wishes_unmet']}  rounds {result.rounds}"
    )

    instance, _mapping = build_instance(problem)
    roster, seconds = solve_plain(instance, args.time_limit)
    if roster is None:
        print(f"peer:   {seconds:6.2f} s  no roster")
        return 0 if not broken else 1
    scored = evaluate(instance, roster)
    print(
        f"peer:   {seconds:6.2f} s  objective {scored.objective}  "
        f"rules broken {len(scored.violations)}  (plain CP-SAT model, same instance and time)"
    )
    print(f"ratio peer/linli objective: {scored.objective / max(1, result.objective):.1f}")
    return 0 if not broken else 1


if __name__ == "__main__":
    raise SystemExit(main())
