"""``linli retention [--days N] [--dry-run]``: anonymise what is past its retention period."""

from __future__ import annotations

import argparse
import json


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="linli retention",
        description="Anonymise residents who moved out, and delete ended quarantine records, "
        "older than the retention period; prints how many of each.",
    )
    p.add_argument("--days", type=int, help="retention period (default: LINLI_RETENTION_DAYS)")
    p.add_argument("--dry-run", action="store_true", help="count what is due, change nothing")
    args = p.parse_args(argv)
    if args.days is not None and args.days < 1:
        p.error(f"--days must be at least 1 (got {args.days})")
    from .retention import apply_retention

    report = apply_retention(days=args.days, dry_run=args.dry_run)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    return 0
