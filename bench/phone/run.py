"""Phone budget: the screening walk for a 1,000-household grid on slow 3G, first and repeat load.

    .venv/bin/python -m bench.phone.run

Runs tests/browser/test_phone_budget.py (Chromium at 375 x 812, the network throttled through
CDP to DevTools' "Slow 3G": 400 ms round trip, 400 kbit/s each way) and prints its figures:
first load (no service worker yet) and repeat load (the service worker controlling the page).
Goal from issue 22: first <= 3 s, repeat <= 1 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    env = {**os.environ, "LINLI_BENCH_PHONE": "1"}
    return subprocess.call(
        [sys.executable, "-m", "pytest", "tests/browser/test_phone_budget.py", "-q", "-s"],
        cwd=ROOT,
        env=env,
    )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
