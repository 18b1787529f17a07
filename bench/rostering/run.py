"""Run the Linli rostering solver and the plain CP-SAT peer on the benchmark instances.

    .venv/bin/python -m bench.rostering.run [--time-limit 60] [--instances 1,2,3] [--markdown FILE]
        [--generated 364x150x32,...|all|none] [--seed 1]

Every roster is re-scored by the exact evaluator (hard rules checked, penalty recomputed);
only the evaluator's figures are printed. Each instance is solved in a process of its own,
so that its peak memory (resident set, ``ru_maxrss``) is its own. Generated instances
(``generate.py``) have no best known: their gap is to the run's proven lower bound.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import ortools

from linli.domain.rostering.evaluate import evaluate
from linli.domain.rostering.io import read_instance
from linli.domain.rostering.solve import solve

from .generate import SIZES, generate, name, parse_sizes
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


def _load(label: str, seed: int):
    if label.startswith("Instance"):
        return read_instance(DATA / f"{label}.txt")
    days, staff, shifts = (int(v) for v in label.split("x"))
    return generate(days, staff, shifts, seed)


def run_one(label: str, seed: int, time_limit: float, workers: int) -> dict:
    """Solve one instance here (in the child process) and return the figures."""
    instance = _load(label, seed)
    started = time.monotonic()
    result = solve(instance, time_limit=time_limit, workers=workers, processes=workers)
    seconds = time.monotonic() - started
    text, value = _score(instance, result.roster)
    return {
        "text": text,
        "value": value,
        "bound": result.bound,
        "seconds": seconds,
        "first": result.first_roster_seconds,
        # This process's peak, or a pricing process's if it forked any and theirs was higher.
        "peak_mib": max(
            resource.getrusage(who).ru_maxrss / 1024
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        ),
    }


def _run_child(label: str, seed: int, time_limit: float, workers: int) -> dict:
    code = (
        "import json, sys; from bench.rostering.run import run_one; "
        f"print(json.dumps(run_one({label!r}, {seed}, {time_limit}, {workers})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode:
        return {
            "text": f"crash ({done.stderr.strip().splitlines()[-1][:60]})",
            "value": None,
            "bound": None,
            "seconds": 0.0,
            "first": None,
            "peak_mib": 0.0,
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rostering.run", description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--instances", default="1,2,3,4,5,6,7,8,9,10,11,12")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-peer", action="store_true", help="skip the plain peer model")
    parser.add_argument("--markdown", help="also write the table and summary to this file")
    parser.add_argument(
        "--generated",
        default="none",
        help="generated sizes DAYSxSTAFFxTYPES,... ('all': the issue's table; default none)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated instances")
    args = parser.parse_args(argv)
    known = _best_known()
    numbers = [int(n) for n in args.instances.split(",") if n.strip()]
    if args.generated == "all":
        sizes = list(SIZES)
    elif args.generated == "none":
        sizes = []
    else:
        sizes = parse_sizes(args.generated)

    header = (
        "| Instance | Linli | Best known | Gap | Lower bound | Gap to bound | First roster s "
        "| Time s | Peak MiB | Peer | Peer time s | Linli / peer |"
    )
    lines = [header, "|" + "---|" * 12]
    print(
        f"rostering benchmark: {args.time_limit:g} s per instance and solver, "
        f"{args.workers} workers, OR-Tools {ortools.__version__}, Python {platform.python_version()}"
    )
    print(header)
    print(lines[1])
    labels = [f"Instance{n}" for n in numbers] + ["x".join(map(str, z)) for z in sizes]
    summary = {"valid": 0, "best": [], "within2": 0, "count": len(labels), "over": 0}
    for label in labels:
        public = label.startswith("Instance")
        shown = label[len("Instance") :] if public else name(*map(int, label.split("x")), args.seed)
        figures = _run_child(label, args.seed, args.time_limit, args.workers)
        value, text, bound = figures["value"], figures["text"], figures["bound"]
        ub = known[label]["ub"] if public else None
        if value is not None:
            summary["valid"] += 1
            if ub is not None and value <= ub:
                summary["best"].append(shown)
            if ub is not None and (value - ub) / ub <= 0.02:
                summary["within2"] += 1
        if figures["seconds"] > args.time_limit + 2:
            summary["over"] += 1
        gap = f"{100 * (value - ub) / ub:.2f}%" if value is not None and ub else "-"
        to_bound = f"{100 * (value - bound) / value:.2f}%" if value and bound is not None else "-"
        if args.no_peer:
            peer_text, peer_seconds, ratio = "-", "-", "-"
        else:
            instance = _load(label, args.seed)
            peer_roster, peer_time = solve_plain(instance, args.time_limit, args.workers)
            peer_text, peer_value = _score(instance, peer_roster)
            peer_seconds = f"{peer_time:.1f}"
            ratio = f"{value / peer_value:.3f}" if value is not None and peer_value else "-"
        first = f"{figures['first']:.2f}" if figures["first"] is not None else "-"
        line = (
            f"| {shown} | {text} | {ub if ub is not None else '-'} | {gap} "
            f"| {bound if bound is not None else '-'} | {to_bound} | {first} "
            f"| {figures['seconds']:.1f} | {figures['peak_mib']:.0f} | {peer_text} "
            f"| {peer_seconds} | {ratio} |"
        )
        lines.append(line)
        print(line, flush=True)
    closing = (
        f"valid rosters: {summary['valid']}/{summary['count']}; best known reached on "
        f"{', '.join(map(str, summary['best'])) or 'none'}; within 2% of best known: "
        f"{summary['within2']}/{len(numbers)} public; over the time limit + 2 s: "
        f"{summary['over']}/{summary['count']}"
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
