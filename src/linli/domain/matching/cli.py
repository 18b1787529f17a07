"""``linli match --input scenario.json --output plan.json``: plan guardians for a file."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .fileformat import ScenarioError, parse_scenario
from .solve import solve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linli match", description=__doc__)
    parser.add_argument(
        "--input", required=True, help="scenario JSON file ('-' for standard input)"
    )
    parser.add_argument("--output", required=True, help="plan JSON file ('-' for standard output)")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args(argv)
    try:
        text = (
            sys.stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8")
        )
    except OSError as error:
        print(f"linli match: cannot read {args.input}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        print(
            f"linli match: {args.input} is not valid JSON: line {error.lineno} column {error.colno}: {error.msg}",
            file=sys.stderr,
        )
        return 2
    try:
        scenario = parse_scenario(data)
    except ScenarioError as error:
        print(f"linli match: {args.input}: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    plan = solve(scenario, time_limit=args.time_limit)
    output = json.dumps(plan.as_dict(), ensure_ascii=False, indent=1)
    if args.output == "-":
        print(output)
    else:
        Path(args.output).write_text(output + "\n", encoding="utf-8")
    print(
        f"wards {len(scenario.wards)}, primary filled {plan.primary_filled}, backup filled {plan.backup_filled}, "
        f"gaps {len(plan.gaps)}, cost {plan.cost:.1f}, {'optimal' if plan.optimal else 'feasible'}, "
        f"{(time.perf_counter() - started) * 1000:.1f} ms",
        file=sys.stderr if args.output == "-" else sys.stdout,
    )
    return 0
