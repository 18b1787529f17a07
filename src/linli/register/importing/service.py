"""Importing a register file into the register: one service, used by the command line,
the upload page's jobs and the benchmark.

The pure part (reading, header recognition, cleaning) is
:mod:`linli.domain.register_import`; this module adds what needs the database —
compounds and buildings looked up by name under the target place, residents matched
by ID number in the community (or, without one, by the line's key in the same
source) — and writes everything in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from linli.domain.register_import import ParsedTable, parse_table, read_table
from linli.domain.sheets import TableError, check_upload
from linli.domain.sheets.errors import MESSAGES
from linli.places.models import Place

from .resolve import Resolver, community_of
from .summary import ImportRefused, ImportSummary, Progress
from .write import Writer

log = logging.getLogger(__name__)


def read_register_file(
    content: bytes, file_name: str, *, progress: Progress | None = None
) -> ParsedTable:
    """Read and clean a file (the database only for the deployment's vocabulary); raises ImportRefused when it cannot be read or
    goes beyond a limit of :mod:`linli.domain.sheets` (the message names the limit)."""
    try:
        table = read_table(content, file_name)
    except TableError as error:
        raise refused(error) from None
    report = (lambda done, total: progress(done, total or done, "check")) if progress else None
    from linli.register.selectors import deployment_vocabularies

    return parse_table(table, progress=report, vocabularies=deployment_vocabularies())


def refused(error: TableError) -> ImportRefused:
    """The reader's refusal in the current language."""
    template = gettext(MESSAGES[error.code])
    return ImportRefused(template % error.params if error.params else template)


def check_register_file(content: bytes, file_name: str) -> None:
    """The bounds of :func:`linli.domain.sheets.check_upload`, before a file is kept:
    raises ImportRefused naming the limit the file goes beyond."""
    try:
        check_upload(content, file_name)
    except TableError as error:
        raise refused(error) from None


def do_import_residents(
    *,
    actor: Any,
    place: Place,
    parsed: ParsedTable,
    source: str,
    file_name: str,
    commit: bool,
    accept_valid: bool = False,
    progress: Progress | None = None,
    create_places: Iterable[str] | bool = (),
) -> ImportSummary:
    """Import the valid rows of a parsed file into ``place``'s part of the register.

    Nothing is stored unless ``commit``; with rejected rows nothing is stored unless
    ``accept_valid`` too. Counts (new/updated/unchanged) are the same whether stored or
    not: a check runs the same comparison and writes nothing. A stored import is one
    transaction, audit rows (who, what) included. Importing the same file again
    changes nothing.
    """
    community = community_of(place)
    wanted = set() if isinstance(create_places, bool) else set(create_places)
    summary = ImportSummary(file_name=file_name, source=source)
    summary.missing_columns = list(parsed.missing)
    summary.ignored_columns = list(parsed.ignored)
    plan = Writer(actor, place, community, source, file_name, parsed, progress)

    def run() -> bool:
        resolved = plan.resolve()
        summary.new_places = plan.new_places
        chosen = [
            p
            for p in summary.new_places
            if (create_places is True and not p.near)
            or (not isinstance(create_places, bool) and p.key in wanted)
        ]
        savepoint = None
        if chosen and commit:
            savepoint = transaction.savepoint()
            summary.created_places = [p.code for p in plan.create_places(chosen)]
            resolved = plan.resolve()
        summary.parsed = resolved
        summary.read = len(resolved.rows)
        summary.valid = len(resolved.valid)
        summary.rejected = summary.read - summary.valid
        summary.errors = resolved.errors
        if resolved.missing:
            return False
        store = commit and (accept_valid or summary.rejected == 0)
        if savepoint and not store:
            transaction.savepoint_rollback(savepoint)  # nothing half-written
            summary.created_places = []
        plan.write(summary, dry=not store)
        return store

    if commit:
        with transaction.atomic():  # matching, checking and writing see one state
            # One import per community at a time: a second one (a double click, a re-sent
            # upload) waits here, then finds the first one's people instead of adding them.
            Place.objects.select_for_update().get(pk=community.pk)
            summary.committed = run()
    else:
        summary.committed = run()  # reads only: no transaction, no write lock
    log.info(
        "register import place=%s source=%s read=%s valid=%s new=%s updated=%s committed=%s",
        place.code,
        source,
        summary.read,
        summary.valid,
        summary.new,
        summary.updated,
        summary.committed,
    )
    return summary


def rejected_rows_xlsx(*, place: Place, parsed: ParsedTable, source: str) -> tuple[bytes, int]:
    """The rejected rows of a file (its own problems and the database's), as an xlsx, and
    how many; reads the database, writes nothing."""
    community = community_of(place)
    plan = Resolver(None, place, community, source, "", parsed, None)
    summary = ImportSummary(file_name="", source=source, parsed=plan.resolve())
    assert summary.parsed is not None
    return summary.rejected_xlsx(), len(summary.parsed.rejected)
