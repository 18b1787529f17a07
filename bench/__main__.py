"""``python -m bench`` (``make bench``): list the benchmarks, or run one by name.

python -m bench                 # what there is and how each is run
python -m bench reports [ARGS]  # the same as python -m bench.reports.run [ARGS]
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).parent


def benchmarks() -> dict[str, str]:
    """name → first line of its run module's docstring."""
    found = {}
    for info in pkgutil.iter_modules([str(HERE)]):
        if info.ispkg and (HERE / info.name / "run.py").exists():
            text = (HERE / info.name / "run.py").read_text(encoding="utf-8")
            doc = text.split('"""')[1] if text.startswith('"""') else ""
            found[info.name] = doc.strip().splitlines()[0] if doc.strip() else ""
    return found


def main(argv: list[str]) -> int:
    known = benchmarks()
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m bench NAME [ARGS]   (each prints its figures; see README)\n")
        for name, line in sorted(known.items()):
            print(f"  {name:<20} {line}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in known:
        print(f"unknown benchmark {name!r}; one of: {', '.join(sorted(known))}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}.run")
    sys.argv = [f"python -m bench.{name}.run", *rest]
    takes_args = inspect.signature(module.main).parameters
    return int((module.main(rest) if takes_args else module.main()) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
