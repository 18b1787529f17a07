"""Importing a register file into the register: one service, used by the command line,
the upload page's jobs and the benchmark.

The pure part (reading, header recognition, cleaning) is
:mod:`linli.domain.register_import`; this module adds what needs the database —
compounds and buildings looked up by name under the target place, residents matched
by ID number in the community (or, without one, by the line's key in the same
source) — and writes everything in one transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from linli.common.bulk import insert_rows, reserve_ids
from linli.domain import idcard
from linli.domain.pinyin import search_key
from linli.domain.register_import import (
    CleanRecord,
    ParsedTable,
    RowError,
    RowResult,
    parse_table,
    read_table,
    write_rejected,
)
from linli.domain.register_import.messages import MESSAGES
from linli.places.models import Level, Place

from .models import Household, Resident, SourceRecord, Vulnerability, Ward

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
BATCH = 2000
CHUNK = 500  # ID numbers per IN (...) lookup: well under SQLite's variable limit
RESIDENT_FIELDS = [
    "name",
    "name_pinyin",
    "sex",
    "birth_date",
    "phone",
    "phone2",
    "place_id",
    "household_id",
    "relation",
    "address",
    "moved_in",
    "moved_out",
    "notes",
]


class ImportRefused(ValueError):
    """The import cannot start (wrong place, unreadable file); the message says why."""


def describe(error: RowError) -> str:
    """One problem in the current language: ``第 7 行 身份证号码: …``-style text without the row."""
    template = gettext(MESSAGES[error.code])
    message = template % error.params if error.params else template
    return f"{error.column}: {message}"


@dataclass
class ImportSummary:
    file_name: str
    source: str
    read: int = 0
    valid: int = 0
    rejected: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    committed: bool = False
    missing_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    parsed: ParsedTable | None = None

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "valid": self.valid,
            "rejected": self.rejected,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def as_report(self, *, max_errors: int = 1000) -> dict[str, Any]:
        """A JSON-able report for the upload page (at most ``max_errors`` problems listed)."""
        return {
            **self.counts(),
            "committed": self.committed,
            "file_name": self.file_name,
            "source": self.source,
            "missing_columns": self.missing_columns,
            "ignored_columns": self.ignored_columns,
            "error_count": len(self.errors),
            "errors": [
                {"row": e.row, "column": e.column, "code": e.code, "value": e.value, **e.params}
                for e in self.errors[:max_errors]
            ],
        }

    def rejected_xlsx(self) -> bytes:
        assert self.parsed is not None
        return write_rejected(self.parsed, describe=describe)


def community_of(place: Place) -> Place:
    """The community a place lies in (the place itself for a community)."""
    if place.level in (Level.CITY, Level.DISTRICT, Level.STREET):
        raise ImportRefused(
            gettext("Choose a community (or a grid or compound in it), not %(place)s.")
            % {"place": place.name}
        )
    if place.level == Level.COMMUNITY:
        return place
    return Place.objects.get(level=Level.COMMUNITY, code=place.code[:12])


def read_register_file(
    content: bytes, file_name: str, *, progress: Progress | None = None
) -> ParsedTable:
    """Read and clean a file (no database); raises ImportRefused when it cannot be read."""
    from linli.domain.register_import import TableError

    try:
        table = read_table(content, file_name)
    except TableError as error:
        raise ImportRefused(str(error)) from None
    report = (lambda done, total: progress(done, total or done, "check")) if progress else None
    return parse_table(table, progress=report)


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
) -> ImportSummary:
    """Import the valid rows of a parsed file into ``place``'s part of the register.

    Nothing is stored unless ``commit``; with rejected rows nothing is stored unless
    ``accept_valid`` too. Counts (new/updated/unchanged) are the same whether stored or
    not: a check runs the import and rolls it back. All in one transaction; audit rows
    (who, what) are written in it. Importing the same file again changes nothing.
    """
    community = community_of(place)
    summary = ImportSummary(file_name=file_name, source=source)
    summary.missing_columns = list(parsed.missing)
    summary.ignored_columns = list(parsed.ignored)
    with transaction.atomic():
        plan = _Plan(actor, place, community, source, file_name, parsed, progress)
        parsed = plan.resolve()
        summary.parsed = parsed
        summary.read = len(parsed.rows)
        summary.valid = len(parsed.valid)
        summary.rejected = summary.read - summary.valid
        summary.errors = parsed.errors
        if parsed.missing:
            transaction.set_rollback(True)
            return summary
        plan.write(summary)
        store = commit and (accept_valid or summary.rejected == 0)
        if not store:
            transaction.set_rollback(True)
        summary.committed = store
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


def rejected_rows_xlsx(*, place: Place, parsed: ParsedTable, source: str) -> bytes:
    """The rejected rows of a file (its own problems and the database's), as an xlsx;
    reads the database, writes nothing."""
    community = community_of(place)
    plan = _Plan(None, place, community, source, "", parsed, None)
    summary = ImportSummary(file_name="", source=source, parsed=plan.resolve())
    return summary.rejected_xlsx()


def _name_key(text: str) -> str:
    return "".join(text.split()).lower()


def _building_key(text: str) -> str:
    """``1栋`` / ``1号楼`` / ``1幢`` / ``1`` → ``1``; other names as written."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits.lstrip("0") or _name_key(text)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Plan:
    """The database side of one import: resolve places and people, then write."""

    def __init__(self, actor, place, community, source, file_name, parsed, progress) -> None:
        self.actor = actor if getattr(actor, "pk", None) else None
        self.place = place
        self.community = community
        self.source = source
        self.file_name = file_name
        self.parsed = parsed
        self.progress = progress
        self.now = timezone.now()
        self.row_place: dict[int, Place] = {}
        self.by_id: dict[str, dict[str, Any]] = {}

    # -- resolving -------------------------------------------------------------

    def resolve(self) -> ParsedTable:
        """Add the problems only the database can see; returns the table with them."""
        places = Place.objects.filter(code__startswith=self.place.code)
        compounds = {
            _name_key(p.name): p for p in places.filter(level=Level.COMPOUND).order_by("code")
        }
        if self.place.level == Level.COMPOUND:
            compounds.setdefault(_name_key(self.place.name), self.place)
        buildings = {
            (p.parent_id, _building_key(p.name)): p
            for p in Place.objects.filter(
                code__startswith=self.place.code[:12], level=Level.BUILDING
            ).order_by("code")
        }
        ids = sorted({r.record.id_number for r in self.parsed.valid if r.record.id_number})
        for chunk in _chunks(ids, CHUNK):
            for row in Resident.objects.filter(
                place__code__startswith=self.community.code, id_number__in=chunk
            ).values("id", "id_number", "place__code", "merged_into_id"):
                # A resident merged into another one stands for its survivor.
                row["id"] = row["merged_into_id"] or row["id"]
                self.by_id.setdefault(row["id_number"], row)
        seen_keys: dict[str, int] = {}
        rows = []
        for row in self.parsed.rows:
            if row.valid:
                row = self._resolve_row(row, compounds, buildings, seen_keys)
            rows.append(row)
        self._resolved = replace(self.parsed, rows=rows)
        return self._resolved

    def _resolve_row(self, row: RowResult, compounds, buildings, seen_keys) -> RowResult:
        record = row.record
        assert record is not None
        errors: list[RowError] = []
        headers = self.parsed.headers
        column = {f: headers[i] for i, f in self.parsed.fields.items()}
        target = self.place
        if record.compound:
            compound = compounds.get(_name_key(record.compound))
            if compound is None:
                errors.append(
                    RowError(
                        row.row,
                        column["compound"],
                        "compound_unknown",
                        record.compound,
                        {"place": self.place.short_name},
                    )
                )
            else:
                target = compound
                if record.building:
                    building = buildings.get((compound.pk, _building_key(record.building)))
                    if building is None:
                        errors.append(
                            RowError(
                                row.row,
                                column["building"],
                                "building_unknown",
                                record.building,
                                {"compound": compound.name},
                            )
                        )
                    else:
                        target = building
        elif record.building and self.place.level != Level.COMPOUND:
            errors.append(
                RowError(row.row, column["building"], "building_without_compound", record.building)
            )
        elif record.building:
            building = buildings.get((self.place.pk, _building_key(record.building)))
            target = building or target
        existing = self.by_id.get(record.id_number) if record.id_number else None
        if existing and not existing["place__code"].startswith(self.place.code):
            errors.append(
                RowError(
                    row.row, column["id_number"], "outside_area", idcard.mask(record.id_number)
                )
            )
        first = seen_keys.setdefault(record.key, row.row)
        if first != row.row:
            errors.append(
                RowError(row.row, column["name"], "row_duplicate", record.name, {"row": str(first)})
            )
        if errors:
            return RowResult(row.row, row.raw, None, tuple(errors))
        self.row_place[row.row] = target
        return row

    # -- writing ---------------------------------------------------------------

    def write(self, summary: ImportSummary) -> None:
        records = SourceRecord.objects.filter(community=self.community, source=self.source)
        known = {}
        for r in records.values(
            "id", "key", "digest", "resident_id", "resident__merged_into_id"
        ).iterator():
            r["resident_id"] = r.pop("resident__merged_into_id") or r["resident_id"]
            known[r["key"]] = r
        todo: list[tuple[RowResult, dict[str, Any] | None, int | None]] = []
        for row in self.parsed_valid():
            record = row.record
            assert record is not None
            line = known.get(record.key)
            if line and line["digest"] == record.digest:
                summary.unchanged += 1
                continue
            resident_id = None
            if record.id_number and record.id_number in self.by_id:
                resident_id = self.by_id[record.id_number]["id"]
            elif line:
                resident_id = line["resident_id"]
            todo.append((row, line, resident_id))
        self._report(0, len(todo))
        households = self._households([row for row, _, _ in todo])
        new_rows = [(row, line) for row, line, rid in todo if rid is None]
        old_rows = [(row, line, rid) for row, line, rid in todo if rid is not None]
        created = self._create(new_rows, households)
        summary.new = len(created)
        summary.updated, summary.unchanged = self._update(old_rows, households, summary.unchanged)
        self._report(len(todo), len(todo))

    def parsed_valid(self) -> list[RowResult]:
        return [r for r in self.parsed_rows if r.valid]

    @property
    def parsed_rows(self) -> list[RowResult]:
        return self._resolved.rows

    def _report(self, done: int, total: int) -> None:
        if self.progress:
            self.progress(done, total, "write")

    def _households(self, rows: list[RowResult]) -> dict[tuple[int, str, str], int]:
        """Households by (place, unit, room), created for rows that name a room."""
        wanted: dict[tuple[int, str, str], tuple[Place, CleanRecord]] = {}
        for row in rows:
            record = row.record
            assert record is not None
            if record.room:
                place = self.row_place[row.row]
                wanted.setdefault((place.pk, record.unit, record.room), (place, record))
        found: dict[tuple[int, str, str], int] = {}
        place_ids = sorted({k[0] for k in wanted})
        for chunk in _chunks(place_ids, CHUNK):
            for h in Household.objects.filter(place_id__in=chunk).values(
                "id", "place_id", "unit", "room"
            ):
                found.setdefault((h["place_id"], h["unit"], h["room"]), h["id"])
        missing = [(key, v) for key, v in wanted.items() if key not in found]
        ids = reserve_ids(Household, len(missing))
        rows = []
        for pk, (key, (place, record)) in zip(ids, missing, strict=True):
            digest = hashlib.sha1(f"{place.code}|{key[1]}|{key[2]}".encode()).hexdigest()
            address = f"{record.compound}{record.building}{record.unit}{record.room}"
            rows.append(
                {
                    "id": pk,
                    "code": "H" + digest[:24],
                    "place_id": place.pk,
                    "unit": key[1],
                    "room": key[2],
                    "address": (address or record.address)[:200],
                }
            )
            found[key] = pk
        insert_rows(Household, rows)
        return found

    def _household_for(self, row: RowResult, households) -> int | None:
        record = row.record
        assert record is not None
        if not record.room:
            return None
        return households.get((self.row_place[row.row].pk, record.unit, record.room))

    def _relation(self, record: CleanRecord) -> str:
        if record.relation:
            return record.relation
        return "户主" if record.head and record.head == record.name else ""

    def _values(self, row: RowResult, households) -> dict[str, Any]:
        """The resident fields the row gives (empty ones are not given)."""
        record = row.record
        assert record is not None
        values = {
            "name": record.name,
            "name_pinyin": search_key(record.name),
            "sex": record.sex,
            "birth_date": record.birth_date,
            "phone": record.phones[0] if record.phones else "",
            "phone2": record.phones[1] if len(record.phones) > 1 else "",
            "place_id": self.row_place[row.row].pk,
            "household_id": self._household_for(row, households),
            "relation": self._relation(record),
            "address": record.address,
            "moved_in": record.moved_in,
            "moved_out": record.moved_out,
            "notes": record.notes,
        }
        return {k: v for k, v in values.items() if v not in ("", None)}

    def _create(self, rows, households) -> list[int]:
        ids = reserve_ids(Resident, len(rows))
        residents = []
        for pk, (row, _line) in zip(ids, rows, strict=True):
            values = self._values(row, households)
            residents.append({"id": pk, "id_number": row.record.id_number, **values})
        for start in range(0, len(residents), BATCH * 5):
            insert_rows(Resident, residents[start : start + BATCH * 5])
            self._report(min(start + BATCH * 5, len(residents)), len(residents))
        self._attributes([(row, pk, set(), None) for pk, (row, _) in zip(ids, rows, strict=True)])
        self._lines([(row, line, pk) for pk, (row, line) in zip(ids, rows, strict=True)])
        self._audit([(pk, LogEntry.Action.CREATE, {"created": ["", "import"]}) for pk in ids])
        return ids

    def _update(self, rows, households, unchanged: int) -> tuple[int, int]:
        ids = [rid for _, _, rid in rows]
        current: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(ids, CHUNK):
            for r in Resident.objects.filter(pk__in=chunk).values("id", *RESIDENT_FIELDS):
                current[r["id"]] = r
        categories: dict[int, set[str]] = {}
        for chunk in _chunks(ids, CHUNK):
            for v in Vulnerability.objects.filter(
                resident_id__in=chunk, end_date__isnull=True
            ).values("resident_id", "category"):
                categories.setdefault(v["resident_id"], set()).add(v["category"])
        wards: dict[int, Ward] = {}
        for chunk in _chunks(ids, CHUNK):
            for w in Ward.objects.filter(resident_id__in=chunk):
                wards[w.resident_id] = w
        changed_residents: list[Resident] = []
        changed_fields: set[str] = set()
        audit = []
        updated = 0
        attributes = []
        for row, _line, rid in rows:
            before = current[rid]
            values = self._values(row, households)
            diff = {k: v for k, v in values.items() if before.get(k) != v}
            if diff:
                merged = {**before, **diff}
                merged.pop("id")
                changed_residents.append(Resident(id=rid, **merged))
                changed_fields |= set(diff)
                audit.append(
                    (
                        rid,
                        LogEntry.Action.UPDATE,
                        {k: [str(before.get(k) or ""), str(v)] for k, v in diff.items()},
                    )
                )
            attr_changed = self._attributes_needed(row, categories.get(rid, set()), wards.get(rid))
            if attr_changed:
                attributes.append((row, rid, categories.get(rid, set()), wards.get(rid)))
            if diff or attr_changed:
                updated += 1
            else:
                unchanged += 1
        if changed_residents:
            Resident.objects.bulk_update(
                changed_residents, sorted(changed_fields), batch_size=BATCH
            )
        self._attributes(attributes)
        self._lines([(row, line, rid) for row, line, rid in rows])
        self._audit(audit)
        return updated, unchanged

    def _attributes_needed(self, row: RowResult, have: set[str], ward: Ward | None) -> bool:
        record = row.record
        assert record is not None
        if set(record.categories) - have:
            return True
        if record.categories or record.risk or record.needs:
            if ward is None:
                return True
            if record.risk and ward.risk != record.risk:
                return True
            if set(record.needs) - set(ward.needs):
                return True
        return False

    def _attributes(self, rows: list[tuple[RowResult, int, set[str], Ward | None]]) -> None:
        """Vulnerabilities not yet recorded, and the ward's risk and needs."""
        vulnerabilities, new_wards, changed_wards = [], [], []
        source = source_choice(self.source)
        for row, rid, have, ward in rows:
            record = row.record
            assert record is not None
            for category in record.categories:
                if category in have:
                    continue
                disabled = category == "disabled_no_carer"
                vulnerabilities.append(
                    {
                        "resident_id": rid,
                        "category": category,
                        "source": source,
                        "disability_type": record.disability_type if disabled else "",
                        "disability_grade": record.disability_grade if disabled else None,
                    }
                )
            if not (record.categories or record.risk or record.needs):
                continue
            if ward is None:
                new_wards.append(
                    {
                        "resident_id": rid,
                        "risk": record.risk or "medium",
                        "needs": list(record.needs),
                    }
                )
            else:
                ward.risk = record.risk or ward.risk
                ward.needs = ward.needs + [n for n in record.needs if n not in ward.needs]
                changed_wards.append(ward)
        insert_rows(Vulnerability, vulnerabilities)
        insert_rows(Ward, new_wards)
        if changed_wards:
            Ward.objects.bulk_update(changed_wards, ["risk", "needs"], batch_size=BATCH)

    def _lines(self, rows: list[tuple[RowResult, dict[str, Any] | None, int]]) -> None:
        """Create or update the source record of each line."""
        new, changed = [], []
        for row, line, rid in rows:
            record = row.record
            assert record is not None
            values = {
                "resident_id": rid,
                "fields": self._resolved.raw_fields(row),
                "digest": record.digest,
                "file_name": self.file_name[:255],
                "row_number": row.row,
                "imported_at": self.now,
            }
            if line is None:
                new.append(
                    {
                        "community_id": self.community.pk,
                        "source": self.source,
                        "key": record.key,
                        **values,
                    }
                )
            else:
                changed.append(SourceRecord(pk=line["id"], **values))
        insert_rows(SourceRecord, new)
        if changed:
            SourceRecord.objects.bulk_update(
                changed,
                ["resident_id", "fields", "digest", "file_name", "row_number", "imported_at"],
                batch_size=BATCH,
            )

    def _audit(self, entries: list[tuple[int, int, dict[str, list[str]]]]) -> None:
        """Audit rows for the residents created or changed, in the import's transaction."""
        content_type = ContentType.objects.get_for_model(Resident)
        extra = {"import": self.file_name[:200], "source": self.source}
        rows = []
        for pk, action, changes in entries:
            if "id_number" in changes:
                changes["id_number"] = [idcard.mask(v) if v else "" for v in changes["id_number"]]
            rows.append(
                {
                    "content_type_id": content_type.pk,
                    "object_pk": str(pk),
                    "object_id": pk,
                    "object_repr": f"resident {pk}",
                    "action": action,
                    "changes": changes,
                    "actor_id": self.actor.pk if self.actor else None,
                    "timestamp": self.now,
                    "additional_data": extra,
                }
            )
        insert_rows(LogEntry, rows)


# Words in a source label that name a department (民政局台账 → civil affairs).
_SOURCE_WORDS = {
    "civil_affairs": ("civil_affairs", "民政"),
    "disabled_federation": ("disabled_federation", "残联", "残疾人联合会"),
    "health": ("health", "卫健", "卫生", "疾控", "社区卫生"),
    "street_office": ("street_office", "街道", "街办"),
    "community": ("community", "社区", "居委"),
}


def source_choice(label: str) -> str:
    """The department a source label names, for the vulnerability's source ("" if none)."""
    for choice, words in _SOURCE_WORDS.items():
        if any(word in label for word in words):
            return choice
    return ""
