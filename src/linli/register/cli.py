"""``linli import residents FILE --community CODE [--dry-run] [--accept-valid] [--source LABEL]``.

Reads an xlsx or csv register, prints every problem (row, column, what is wrong, the
value) and a summary (read / valid / rejected / new / updated / unchanged), writes
the rejected rows to ``<file>-rejected.xlsx`` for fixing and importing again, and
imports only when there is nothing rejected or ``--accept-valid`` is given.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from django.utils.translation import gettext as _

EXIT_OK, EXIT_REJECTED, EXIT_REFUSED = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="linli import",
        description="Check a register file (xlsx or csv) and import it into a community's "
        "register; problems are listed by row and column, rejected rows go to an xlsx.",
    )
    p.add_argument("kind", choices=["residents"], help="what the file holds")
    p.add_argument("file", type=Path, help="an .xlsx or .csv file")
    p.add_argument(
        "--community",
        required=True,
        help="code of the community (or a grid or compound in it) to import into",
    )
    p.add_argument("--dry-run", action="store_true", help="check and count, store nothing")
    p.add_argument(
        "--accept-valid",
        action="store_true",
        help="import the valid rows even if some are rejected",
    )
    p.add_argument(
        "--create-places",
        action="store_true",
        help="create the compounds and buildings the file names that are not places yet "
        "(near-misses of existing compounds excepted: name them with --create-place)",
    )
    p.add_argument(
        "--create-place",
        action="append",
        default=[],
        metavar="NAME",
        help="create this new place (compound, or compound/building); may be repeated",
    )
    p.add_argument("--source", help="which department's list this is (default: the file name)")
    p.add_argument("--rejected", type=Path, help="where to write the rejected rows (.xlsx)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    return p


class ProgressLine:
    """A one-line progress display on stderr, redrawn at most ten times a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last = 0.0
        self.open = False

    def __call__(self, done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        self.open = done < total
        label = {"check": _("checking rows"), "write": _("writing")}.get(stage, stage)
        percent = int(100 * done / total) if total else 100
        end = "" if self.open else "\n"
        print(f"\r{label}: {done}/{total} ({percent}%)   ", end=end, file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.enabled and self.open:
            print(file=sys.stderr)
        self.open = False


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    shown = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - shown)


def _replan(place, file_name: str) -> None:
    """New and changed wards get guardians now: the community is re-planned after the import
    committed, as after an upload (``register.run_import``)."""
    from linli.guardianship.models import Trigger
    from linli.guardianship.replan import do_replan_community

    from .importing import community_of

    result = do_replan_community(
        community=community_of(place), trigger=Trigger.WARDS_IMPORTED, about=file_name, actor=None
    )
    print(_("Guardians re-planned: %(gaps)s roles without a guardian.") % {"gaps": result.gaps})


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    from linli.places.models import Place

    from .importing import ImportRefused, describe, do_import_residents, read_register_file

    place = Place.objects.filter(code=args.community).first()
    if place is None:
        print(_("No place with code %(code)s.") % {"code": args.community}, file=sys.stderr)
        return EXIT_REFUSED
    try:
        content = args.file.read_bytes()
    except OSError as error:
        print(f"{args.file}: {error.strerror}", file=sys.stderr)
        return EXIT_REFUSED
    progress = ProgressLine(not args.quiet)
    source = (args.source or args.file.stem)[:64]
    started = time.monotonic()
    try:
        parsed = read_register_file(content, args.file.name, progress=progress)
        summary = do_import_residents(
            actor=None,
            place=place,
            parsed=parsed,
            source=source,
            file_name=args.file.name,
            commit=not args.dry_run,
            accept_valid=args.accept_valid,
            progress=progress,
            create_places=True if args.create_places else args.create_place,
        )
    except ImportRefused as error:
        progress.end()
        print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_REFUSED
    progress.end()
    if summary.missing_columns:
        print(_("No column for: %(fields)s.") % {"fields": ", ".join(summary.missing_columns)})
        return EXIT_REFUSED
    for new in summary.new_places:
        rows = ", ".join(map(str, new.rows[:20]))
        line = _("new place %(place)s (rows %(rows)s)") % {"place": new.label, "rows": rows}
        if new.near:
            line += " · " + _("did you mean %(near)s?") % {"near": "、".join(new.near)}
        print(line)
    if summary.created_places:
        print(_("Places created: %(codes)s") % {"codes": ", ".join(summary.created_places)})
    for error in summary.errors:
        print(_("row %(row)s") % {"row": error.row}, describe(error), f"[{error.value}]", sep=" · ")
    if summary.ignored_columns:
        print(
            _("Columns not imported: %(columns)s") % {"columns": ", ".join(summary.ignored_columns)}
        )
    labels = {
        "read": _("rows read"),
        "valid": _("valid"),
        "rejected": _("rejected"),
        "new": _("new"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
    }
    for key, value in summary.counts().items():
        print(f"{_pad(labels[key], 12)} {value:>8}")
    if summary.rejected:
        out = args.rejected or args.file.with_name(f"{args.file.stem}-rejected.xlsx")
        out.write_bytes(summary.rejected_xlsx())
        print(
            _("Rejected rows written to %(path)s: fix them and import that file.") % {"path": out}
        )
    if summary.committed:
        print(_("Imported in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
        if summary.new or summary.updated:
            _replan(place, args.file.name)
        return EXIT_OK
    if args.dry_run:
        print(_("Dry run: nothing was stored."))
    else:
        print(
            _(
                "Nothing was stored: fix the rejected rows, or import the valid ones with --accept-valid."
            )
        )
    return EXIT_REJECTED if summary.rejected else EXIT_OK
