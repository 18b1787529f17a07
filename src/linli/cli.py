"""The ``linli`` console command.

``linli demo`` sets up the embedded database and serves the demo; ``linli manage ...``
passes through to Django's management commands; the other subcommands are the
capabilities' own command lines (pure ones run without Django set up).
"""

from __future__ import annotations

import importlib
import os
import sys

# subcommand → (module with main(argv), needs Django, one-line help)
SUBCOMMANDS: dict[str, tuple[str, bool, str]] = {
    "demo": (
        "linli.demo.cli",
        True,
        "create the embedded database, load Chengdu and a synthetic population, serve",
    ),
    "manage": ("linli.cli", True, "run a Django management command (linli manage migrate, ...)"),
    "worker": (
        "linli.jobs.worker",
        True,
        "run background-job workers on Celery/Redis (LINLI_JOBS=celery): --concurrency N, "
        "--districts 510107,510104 (and city)",
    ),
    "backup": (
        "linli.common.backup:backup_main",
        True,
        "back up the whole database to one file (with a manifest of every table)",
    ),
    "restore": (
        "linli.common.backup:restore_main",
        True,
        "replace the database with a backup and verify every table's count and checksum",
    ),
    "i18n": ("linli.common.i18n", False, "compile the translation catalogues (.po → .mo)"),
    "synth": (
        "linli.domain.synth.cli",
        False,
        "generate a synthetic population: --scale demo|street|district|city",
    ),
    "match": (
        "linli.guardianship.cli",
        False,
        "plan guardians: --input scenario.json --output plan.json, or --community CODE / --all",
    ),
    "coverage": (
        "linli.guardianship.cli:coverage_main",
        False,
        "list a community's guardianship gaps: --community CODE",
    ),
    "roster": (
        "linli.domain.rostering.cli",
        False,
        "solve or evaluate a rostering benchmark instance",
    ),
    "import": (
        "linli.register.cli",
        True,
        "import a register file: residents FILE --community CODE [--dry-run] [--accept-valid]",
    ),
    "dedupe": (
        "linli.dedupe.cli",
        True,
        "find the same person registered several times: --community CODE",
    ),
    "retention": (
        "linli.register.retention_cli",
        True,
        "anonymise people who left and ended quarantines past LINLI_RETENTION_DAYS [--dry-run]",
    ),
    "playbook": (
        "linli.taskforce.cli",
        True,
        "task-force playbook as one file: export --community CODE --output F | import F --community CODE",
    ),
    "report": (
        "linli.reports.cli",
        True,
        "render a department form: TEMPLATE --place CODE --date D --format xlsx|csv|hxl --output F --reason WHY",
    ),
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()


def manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["linli manage", *argv])
    return 0


def usage() -> str:
    lines = ["usage: linli <command> [options]", "", "commands:"]
    lines += [f"  {name:<8} {text}" for name, (_, _, text) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    if name not in SUBCOMMANDS:
        print(f"linli: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    if name == "manage":
        return manage(rest)
    target, needs_django, _ = SUBCOMMANDS[name]
    module_name, _sep, function = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        print(f"linli {name}: not available in this build ({error.name})", file=sys.stderr)
        return 2
    if needs_django:
        setup_django()
    return int(getattr(module, function or "main")(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
