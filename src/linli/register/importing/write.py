"""Writing an import: households, residents, vulnerabilities, wards, source records
and audit rows, inserted in bulk inside the import's transaction."""

from __future__ import annotations

import hashlib
from typing import Any

from auditlog.models import LogEntry

from linli.common.audit import mask_identifiers, record_changes
from linli.common.bulk import insert_rows, reserve_ids
from linli.domain.pinyin import search_key
from linli.domain.register_import import CleanRecord, RowResult
from linli.places.models import Place

from ..models import Household, Resident, SourceRecord, Vulnerability, Ward
from .resolve import BATCH, CHUNK, RESIDENT_FIELDS, Resolver, chunks
from .summary import ImportSummary


class Writer(Resolver):
    """The database side of one import, second part: write what the rows say."""

    def write(self, summary: ImportSummary, *, dry: bool = False) -> None:
        """Write the valid rows and count new / updated / unchanged residents.

        ``dry`` counts only, writing nothing (a check holds no write lock)."""
        self.dry = dry
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
        summary.new = len(new_rows) if dry else len(self._create(new_rows, households))
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
        for chunk in chunks(place_ids, CHUNK):
            for h in Household.objects.filter(place_id__in=chunk).values(
                "id", "place_id", "unit", "room"
            ):
                found.setdefault((h["place_id"], h["unit"], h["room"]), h["id"])
        missing = [(key, v) for key, v in wanted.items() if key not in found]
        if self.dry:  # households to be created: a stand-in id, so residents count as changed
            return {**found, **{key: -1 for key, _ in missing}}
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
        for chunk in chunks(ids, CHUNK):
            for r in Resident.objects.filter(pk__in=chunk).values("id", *RESIDENT_FIELDS):
                current[r["id"]] = r
        categories: dict[int, set[str]] = {}
        for chunk in chunks(ids, CHUNK):
            for v in Vulnerability.objects.filter(
                resident_id__in=chunk, end_date__isnull=True
            ).values("resident_id", "category"):
                categories.setdefault(v["resident_id"], set()).add(v["category"])
        wards: dict[int, Ward] = {}
        for chunk in chunks(ids, CHUNK):
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
        if self.dry:
            return updated, unchanged
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
        for _pk, _action, changes in entries:
            mask_identifiers(changes)
        record_changes(
            Resident,
            entries,
            actor=self.actor,
            extra={"import": self.file_name[:200], "source": self.source},
            when=self.now,
        )


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
