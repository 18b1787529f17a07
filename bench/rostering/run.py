"""Run the Linli rostering solver and the plain CP-SAT peer on the benchmark instances.

    .venv/bin/python -m bench.rostering.run [--time-limit 60] [--instances 1,2,3] [--markdown FILE]

Every roster is re-scored by the exact evaluator (hard rules checked, penalty recomputed);
only the evaluator's figures are printed.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from pathlib import Path

import ortools

from linli.domain.rostering.evaluate import evaluate
from linli.domain.rostering.io import read_instance
from linli.domain.rostering.solve import solve

from .peer import solve_plain

DATA = Path(__file__).resolve().parent / "data"


def _best_known() -> dict[str, dict[str, int]]:
    with (DATA / "best_known.csv").open(newline="") as handle:
        return {
            row["instance"]: {"ub": int(row["best_known_ub"]), "lb": int(row["lower_bound"])}
            for row in csv.DictReader(handle)
        }


def _score(instance, roster) -> tuple[str, int | None]:
    if roster is None:
        return "none", None
    checked = evaluate(instance, roster)
    if not checked.feasible:
        return "INVALID", None
    return str(checked.objective), checked.objective


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rostering.run", description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--instances", default="1,2,3,4,5,6,7,8,9,10,11,12")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-peer", action="store_true", help="skip the plain peer model")
    parser.add_argument("--markdown", help="also write the table and summary to this file")
    args = parser.parse_args(argv)
    known = _best_known()
    numbers = [int(n) for n in args.instances.split(",") if n.strip()]

    header = (
        "| Instance | Linli | Best known | Gap | Lower bound | Time s | Peer | Peer time s "
        "| Linli / peer |"
    )
    lines = [header, "|" + "---|" * 9]
    print(
        f"rostering benchmark: {args.time_limit:g} s per instance and solver, "
        f"{args.workers} workers, OR-Tools {ortools.__version__}, Python {platform.python_version()}"
    )
    print(header)
    print(lines[1])
    summary = {"valid": 0, "best": [], "within2": 0, "count": len(numbers)}
    for number in numbers:
        name = f"Instance{number}"
        instance = read_instance(DATA / f"{name}.txt")
        ub = known[name]["ub"]
        started = time.monotonic()
        result = solve(
            instance, time_limit=args.time_limit, workers=args.workers, processes=args.workers
        )
        seconds = time.monotonic() - started
        text, value = _score(instance, result.roster)
        if value is not None:
            summary["valid"] += 1
            if value <= ub:
                summary["best"].append(number)
            if (value - ub) / ub <= 0.02:
                summary["within2"] += 1
        gap = f"{100 * (value - ub) / ub:.2f}%" if value is not None else "-"
        if args.no_peer:
            peer_text, peer_seconds, ratio = "-", "-", "-"
        else:
            peer_roster, peer_time = solve_plain(instance, args.time_limit, args.workers)
            peer_text, peer_value = _score(instance, peer_roster)
            peer_seconds = f"{peer_time:.1f}"
            ratio = f"{value / peer_value:.3f}" if value is not None and peer_value else "-"
        bound = result.bound if result.bound is not None else "-"
        line = (
            f"| {number} | {text} | {ub} | {gap} | {bound} | {seconds:.1f} | {peer_text} "
            f"| {peer_seconds} | {ratio} |"
        )
        lines.append(line)
        print(line, flush=True)
    closing = (
        f"valid rosters: {summary['valid']}/{summary['count']}; best known reached on "
        f"{', '.join(map(str, summary['best'])) or 'none'}; within 2% of best known: "
        f"{summary['within2']}/{summary['count']}"
    )
    print(closing)
    if args.markdown:
        Path(args.markdown).write_text(
            f"{args.time_limit:g} s per instance and solver, {args.workers} workers, OR-Tools "
            f"{ortools.__version__}\n\n" + "\n".join(lines) + "\n\n" + closing + "\n"
        )
    return 0 if summary["valid"] == summary["count"] else 1


if __name__ == "__main__":
    sys.exit(main())
