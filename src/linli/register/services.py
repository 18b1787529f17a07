"""Writes to the register: revealing an ID number, uploading and accepting imports.

The import itself is :func:`linli.register.importing.do_import_residents`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from linli.common.audit import record_reveal

from .models import ImportRun, ImportStatus, Resident


def do_reveal_id_number(*, actor: Any, resident: Resident, reason: str) -> str:
    """The full ID number, recorded in the audit log with who and why."""
    record_reveal(actor=actor, instance=resident, field="id_number", reason=reason)
    return resident.id_number


def do_export_rejected_rows(*, actor: Any, run: ImportRun, reason: str, protected: bool) -> bytes:
    """The rejected rows of an uploaded file (names, ID numbers, phones as typed) as an xlsx
    to fix, recorded in the audit trail with who, how many rows and why. Raises
    :class:`ImportRefused` when the stored file cannot be read."""
    from linli.common.audit import record_export

    from .importing import read_register_file, rejected_rows_xlsx

    parsed = read_register_file(bytes(run.content), run.file_name)
    content, rows = rejected_rows_xlsx(place=run.place, parsed=parsed, source=run.source)
    with transaction.atomic():
        record_export(
            actor=actor,
            instance=run,
            kind="rejected.xlsx",
            rows=rows,
            reason=reason,
            protected=protected,
        )
    return content


def do_upload_register_file(
    *, actor: Any, place: Any, file_name: str, content: bytes, source: str = ""
) -> ImportRun:
    """Keep an uploaded register file and start checking it (a background job).

    A file beyond the reader's limits (rows, columns, unpacked size, …) is refused here,
    before it is kept, with ImportRefused naming the limit. Nothing reaches the register
    until :func:`do_accept_import`.
    """
    from linli.jobs.runner import enqueue

    from .importing import check_register_file, community_of

    community_of(place)  # refuses places above a community
    check_register_file(content, file_name)
    with transaction.atomic():
        run = ImportRun.objects.create(
            place=place,
            source=(source.strip() or Path(file_name).stem)[:64],
            file_name=Path(file_name).name[:255],
            content=content,
            created_by=actor,
        )
        run.job = enqueue(
            "register.check_import", actor=actor, place=place, params={"run_id": run.pk}
        )
        run.save(update_fields=["job"])
    return run


def do_accept_import(*, actor: Any, run: ImportRun, create_places: list[str] = ()) -> ImportRun:
    """Import the valid rows of a checked upload (a background job); once only.
    ``create_places``: the new places the person confirmed (keys the check listed), created
    in the import's transaction; a key the check did not list is ignored."""
    from linli.jobs.runner import enqueue

    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED).update(
            status=ImportStatus.IMPORTING
        )
        if claimed:
            run.job = enqueue(
                "register.run_import",
                actor=actor,
                place=run.place,
                params={
                    "run_id": run.pk,
                    "actor_id": getattr(actor, "pk", None),
                    "create_places": [str(k)[:250] for k in create_places][:500],
                },
                key=f"register.run_import:{run.pk}",
            )
            run.status = ImportStatus.IMPORTING
            run.save(update_fields=["job", "status"])
    return run


class VocabularyRefused(ValueError):
    """A word that cannot be added: empty, already meaning something, or an unknown code."""


def do_add_vocabulary_word(*, actor: Any, field: str, word: str, code: str) -> Any:
    """Add a word of this deployment's registers to the vocabulary of ``field``, meaning
    ``code`` (audited). Refused with :class:`VocabularyRefused` when the word, once
    normalised, already means something (built in or added) or ``code`` is not one of the
    field's codes."""
    from auditlog.context import set_actor
    from django.utils.translation import gettext

    from linli.domain import vocabulary as vocab

    from .models import VocabularyWord
    from .selectors import deployment_vocabularies

    key = vocab.normalise(word)
    if not key or len(word) > 64:
        raise VocabularyRefused(gettext("Write a word of at most 64 characters."))
    with transaction.atomic(), set_actor(actor):
        current = getattr(deployment_vocabularies(), field, None)
        if current is None:
            raise VocabularyRefused(gettext("Unknown field."))
        if code not in current.words:
            raise VocabularyRefused(gettext("Unknown meaning %(code)s.") % {"code": code})
        already = current.exact(word)
        if already is not None:
            raise VocabularyRefused(
                gettext("%(word)s already means %(meaning)s.")
                % {"word": word, "meaning": current.display(already)}
            )
        return VocabularyWord.objects.create(
            field=field, word=word.strip(), key=key, code=code, added_by=actor
        )


def do_remove_vocabulary_word(*, actor: Any, word: Any) -> None:
    """Remove a word an administrator added (audited); built-in words stay."""
    from auditlog.context import set_actor

    with transaction.atomic(), set_actor(actor):
        word.delete()
