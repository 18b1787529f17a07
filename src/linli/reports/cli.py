"""``linli report TEMPLATE --place CODE --date YYYY-MM-DD --format xlsx|csv|hxl --output FILE
--reason WHY``

TEMPLATE is a built-in form's key (``linli report --list``) or the path of a template file.
The reason is kept in the audit trail with the file's rows (the forms hold personal data).
Exit 2 with the problem (and the template's key and line) on bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from linli.common.dates import EARLIEST, LATEST, parse_day
from linli.domain.forms import TemplateError
from linli.domain.forms.render import FORMATS


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linli report", description=__doc__.split("\n")[0])
    parser.add_argument("template", nargs="?", help="built-in form key or template file")
    parser.add_argument("--place", help="place code (district, street or community)")
    parser.add_argument("--date", help="report date, YYYY-MM-DD (default: today)")
    parser.add_argument("--format", choices=FORMATS, default="xlsx")
    parser.add_argument("--output", help="file to write")
    parser.add_argument("--reason", default="", help="why the file is needed (audited)")
    parser.add_argument("--password", default="", help="protect the xlsx with this password")
    parser.add_argument("--list", action="store_true", help="list the built-in forms")
    args = parser.parse_args(argv)

    from django.utils import timezone

    from linli.common.protect import ProtectError, check_password, protect_xlsx
    from linli.places.models import Place

    from .catalogue import built_in_forms, form_from_file
    from .services import ReportRefused, do_generate_report

    if args.list:
        for key, form in built_in_forms().items():
            print(f"{key:<22} {form.template.department:<4} {form.template.name}")
        return 0
    if not (args.template and args.place and args.output):
        parser.error("TEMPLATE, --place and --output are needed")
    if not args.reason.strip():
        print("linli report: --reason is needed: the form holds personal data", file=sys.stderr)
        return 2
    if args.password and args.format != "xlsx":
        print("linli report: --password works with --format xlsx only", file=sys.stderr)
        return 2
    try:
        form = form_from_file(args.template)
    except FileNotFoundError:
        print(f"linli report: no built-in form or file {args.template!r}", file=sys.stderr)
        return 2
    except TemplateError as error:
        for problem in error.problems:
            print(f"linli report: {args.template}: {problem}", file=sys.stderr)
        return 2
    try:
        day = parse_day(args.date) if args.date else timezone.localdate()
    except ValueError:
        print(
            f"linli report: --date {args.date!r} is not YYYY-MM-DD between {EARLIEST} and {LATEST}",
            file=sys.stderr,
        )
        return 2
    place = Place.objects.filter(code=args.place).first()
    if place is None:
        print(f"linli report: --place {args.place!r}: no such place code", file=sys.stderr)
        return 2
    try:
        if args.password:
            check_password(args.password)
        report = do_generate_report(
            actor=None,
            form=form,
            place=place,
            day=day,
            fmt=args.format,
            reason=args.reason.strip()[:200],
            protected=bool(args.password),
            via="cli",
        )
    except (ReportRefused, ProtectError) as error:
        print(f"linli report: {error}", file=sys.stderr)
        return 2
    content = protect_xlsx(report.content, args.password) if args.password else report.content
    Path(args.output).write_bytes(content)
    print(
        f"{form.key}: {report.generation.rows} rows → {args.output} "
        f"(sha256 {report.generation.checksum[:12]}…)"
    )
    return 0
