"""``linli synth --scale demo|street|district|city --seed N --output DIR``."""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from .files import write_csv
from .plan import SCALES


def peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="linli synth", description="Generate a synthetic population (fake people)."
    )
    parser.add_argument("--scale", choices=SCALES, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=Path("synth-out"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.workers < 1:
        print("linli synth: --workers must be at least 1", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            print(f"\rcommunity {done}/{total}", end="", file=sys.stderr, flush=True)

    counts = write_csv(args.scale, args.seed, args.output, workers=args.workers, progress=progress)
    seconds = time.perf_counter() - started
    print(file=sys.stderr)
    for table, n in counts.items():
        print(f"{table:<16} {n:>12,}")
    size = sum(p.stat().st_size for p in args.output.glob("*.csv"))
    print(
        f"time {seconds:.1f} s, peak memory {peak_rss_mib():.0f} MiB, output {size / 2**20:.0f} MiB in {args.output}"
    )
    return 0
