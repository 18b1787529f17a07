"""``linli roster``: solve or evaluate a Shift Scheduling Benchmark instance.

linli roster --benchmark Instance1.txt --time-limit 60 --output roster.txt
linli roster --evaluate Instance1.txt --roster roster.txt
"""

from __future__ import annotations

import argparse
import sys

from .evaluate import evaluate
from .io import FormatError, read_instance, read_roster, write_roster
from .model import TERMS
from .solve import solve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linli roster", description=__doc__.split("\n")[0])
    task = parser.add_mutually_exclusive_group(required=True)
    task.add_argument("--benchmark", metavar="INSTANCE", help="instance file to solve")
    task.add_argument("--evaluate", metavar="INSTANCE", help="instance file to check against")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    parser.add_argument("--output", help="write the roster grid here (with --benchmark)")
    parser.add_argument("--roster", help="roster grid to check (with --evaluate)")
    parser.add_argument("--hint", help="roster grid to start from (with --benchmark)")
    args = parser.parse_args(argv)
    if args.evaluate and not args.roster:
        parser.error("--evaluate needs --roster")
    if args.time_limit <= 0:
        parser.error("--time-limit must be positive")
    try:
        if args.evaluate:
            return _evaluate(args.evaluate, args.roster)
        return _solve(args)
    except FormatError as error:
        print(f"linli roster: {error}", file=sys.stderr)
        return 2


def _solve(args: argparse.Namespace) -> int:
    instance = read_instance(args.benchmark)
    hint = read_roster(args.hint, instance) if args.hint else None
    result = solve(
        instance,
        time_limit=args.time_limit,
        workers=args.workers,
        hint=hint,
        processes=args.workers,
    )
    if result.roster is None:
        print(f"status: {result.status}")
        for line in result.explanation:
            print(f"  {line}")
        return 1
    if args.output:
        write_roster(args.output, result.roster)
    print(f"objective: {result.objective}")
    print(f"bound: {result.bound if result.bound is not None else '-'}")
    print(f"status: {result.status}")
    print(f"time: {result.seconds:.1f} s")
    print("terms: " + ", ".join(f"{name} {result.terms[name]}" for name in TERMS))
    return 0


def _evaluate(instance_path: str, roster_path: str) -> int:
    instance = read_instance(instance_path)
    roster = read_roster(roster_path, instance)
    result = evaluate(instance, roster)
    if not result.feasible:
        print(f"infeasible: {len(result.violations)} violation(s)")
        for violation in result.violations:
            print(f"  {violation}")
        return 1
    print(f"objective: {result.objective}")
    for name in TERMS:
        print(f"  {name}: {result.terms[name]}")
    return 0
