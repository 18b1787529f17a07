"""``linli playbook export --community CODE --output FILE`` and
``linli playbook import FILE --community CODE``: a task force's playbook as one file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linli playbook", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    export = sub.add_parser("export", help="write the community's task force as a playbook file")
    export.add_argument("--community", required=True, help="community code, e.g. 510107005002")
    export.add_argument("--output", required=True, help="file to write (YAML)")
    imp = sub.add_parser("import", help="set up the community's task force from a playbook file")
    imp.add_argument("file")
    imp.add_argument("--community", required=True)
    sub.add_parser("list", help="list the playbooks in the library")
    return parser


def _community(code: str):
    from linli.places.models import Place

    place = Place.objects.filter(code=code).first()
    if place is None:
        raise SystemExit(f"linli playbook: no place with code {code}")
    return place


def main(argv: list[str]) -> int:
    from linli.domain.playbooks.fileformat import PlaybookFileError
    from linli.taskforce import playbook_services as books

    args = _parser().parse_args(argv)
    try:
        if args.action == "list":
            books.ensure_builtin_playbooks()
            from linli.taskforce.models import Playbook

            for book in Playbook.objects.select_related("owner"):
                latest = book.latest()
                owner = book.owner.code if book.owner else "built-in"
                print(f"{book.pk}\t{owner}\tv{latest.number if latest else 0}\t{book.title}")
            return 0
        community = _community(args.community)
        if args.action == "export":
            text = books.export_text(community)
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"wrote {args.output}: the task force of {community.name}")
            return 0
        path = Path(args.file)
        if not path.is_file():
            print(f"linli playbook: {args.file}: no such file", file=sys.stderr)
            return 2
        version = books.do_import_playbook(actor=None, community=community, raw=path.read_bytes())
        groups = community.taskforce.groups.count()
        print(f"imported {version.label()}: {groups} groups in the task force of {community.name}")
        return 0
    except PlaybookFileError as error:
        print(
            f"linli playbook: {args.file}: not imported, nothing changed: {error}", file=sys.stderr
        )
        return 2
    except books.PlaybookError as error:
        print(f"linli playbook: {error}", file=sys.stderr)
        return 2
    except SystemExit as error:
        print(error, file=sys.stderr)
        return 2
