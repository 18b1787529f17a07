"""Data retention: people who left the community, and ended quarantines, are anonymised,
and screenings of days before the cut-off are removed (whole day partitions dropped on
PostgreSQL, see linli.screening.partitions), after a configurable period (``LINLI_RETENTION_DAYS``), by ``linli retention`` and the
daily ``register.retention`` job."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from linli.domain import retention as rules
from linli.screening import partitions as screening_partitions

from .models import (
    Category,
    Household,
    ImportRun,
    ImportStatus,
    Resident,
    SourceRecord,
    Vulnerability,
)


@dataclasses.dataclass
class RetentionReport:
    cutoff: dt.date
    residents: int = 0
    households: int = 0
    quarantines: int = 0
    screenings: int = 0
    contacts: int = 0
    source_records: int = 0
    import_files: int = 0
    audit_entries: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["cutoff"] = self.cutoff.isoformat()
        return data


def due_residents(cut: dt.date):
    """Residents who moved out before ``cut`` and still carry identifying data."""
    return Resident.objects.filter(moved_out__lt=cut, anonymised_at__isnull=True)


def apply_retention(
    *, days: int | None = None, today: dt.date | None = None, dry_run: bool = False
) -> RetentionReport:
    """Anonymise what is past its retention period, all in one transaction (an interrupted
    run changes nothing). Safe to repeat: what is done is not done again."""
    days = settings.LINLI_RETENTION_DAYS if days is None else days
    cut = rules.cutoff(today or timezone.localdate(), days)
    report = RetentionReport(cutoff=cut, dry_run=dry_run)
    with transaction.atomic():
        ids = list(due_residents(cut).values_list("pk", flat=True))
        report.residents = len(ids)
        ended = Vulnerability.objects.filter(category=Category.HOME_QUARANTINE, end_date__lt=cut)
        report.quarantines = ended.count()
        old_imports = ImportRun.objects.filter(
            created_at__date__lt=cut,
            status__in=[ImportStatus.PREVIEWED, ImportStatus.IMPORTED, ImportStatus.FAILED],
        ).exclude(content=b"")
        report.import_files = old_imports.count()
        if dry_run:
            report.screenings = screening_partitions.count_before(cut)
            transaction.set_rollback(True)
            return report
        _anonymise_residents(ids, report)
        # Health status of a person, past its purpose: the record goes; the daily reports
        # that counted it keep their numbers.
        ended.delete()
        old_imports.update(content=b"")
        # Screenings are health status of a day: past the period the whole day goes.
        report.screenings = screening_partitions.purge_before(cut)
    return report


def _anonymise_residents(ids: list[int], report: RetentionReport) -> None:
    from linli.guardianship.models import Contact

    now = timezone.now()
    blank = dict.fromkeys(rules.IDENTIFYING_RESIDENT_FIELDS, "")
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        residents = list(Resident.objects.filter(pk__in=chunk).only("pk", "birth_date"))
        for r in residents:
            r.birth_date = rules.birth_year_only(r.birth_date)
        Resident.objects.bulk_update(residents, ["birth_date"])
        Resident.objects.filter(pk__in=chunk).update(anonymised_at=now, **blank)
        report.source_records += SourceRecord.objects.filter(resident_id__in=chunk).update(
            fields={}
        )
        contacts = Contact.objects.filter(ward__resident_id__in=chunk)
        contact_ids = list(contacts.values_list("pk", flat=True))
        for contact in contacts.exclude(photo=""):
            contact.photo.delete(save=False)
        report.contacts += contacts.update(provided="", concerns="", photo="")
        sources = SourceRecord.objects.filter(resident_id__in=chunk).values_list("pk", flat=True)
        report.audit_entries += _scrub_audit(Resident, chunk)
        report.audit_entries += _scrub_audit(Contact, contact_ids)
        report.audit_entries += _scrub_audit(SourceRecord, list(sources))
    emptied = list(
        Household.objects.filter(members__pk__in=ids)
        .exclude(members__anonymised_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    report.households = Household.objects.filter(pk__in=emptied).update(
        address="", unit="", room=""
    )
    report.audit_entries += _scrub_audit(Household, emptied)
    report.residents = len(ids)


def _scrub_audit(model, pks: list[int]) -> int:
    """Past values in the audit trail of anonymised rows are replaced; who and when stay."""
    content_type = ContentType.objects.get_for_model(model)
    entries = list(
        LogEntry.objects.filter(content_type=content_type, object_id__in=pks).only("changes")
    )
    for entry in entries:
        entry.changes = rules.scrub_changes(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
    LogEntry.objects.bulk_update(entries, ["changes", "changes_text", "serialized_data"])
    return len(entries)
