"""``linli match`` and ``linli coverage``.

``linli match --input scenario.json --output plan.json`` runs the pure planner on a
file (no database); ``linli match --community CODE`` / ``--all`` plans from the
database; ``linli coverage --community CODE`` lists the gaps.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--input" in args or any(a.startswith("--input=") for a in args):
        from linli.domain.matching.cli import main as pure_main

        return pure_main(args)
    from linli.cli import manage, setup_django

    setup_django()
    return manage(["plan_guardians", *args])


def coverage_main(argv: list[str] | None = None) -> int:
    from linli.cli import manage, setup_django

    setup_django()
    return manage(["coverage", *(sys.argv[1:] if argv is None else argv)])
