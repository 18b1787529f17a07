"""Writes of record linkage: finding candidate pairs, merging, rejecting, undoing.

Each runs in one transaction with the actor recorded on every audit row; a merge
moves the absorbed resident's source records, categories and ward to the survivor,
fills the survivor's blank fields, and records exactly that so it can be undone.
"""

from __future__ import annotations

import logging
from typing import Any

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.domain.linkage import REVIEW, Records, link, review_pairs
from linli.register.models import Resident, SourceRecord, Vulnerability, Ward

from .models import CandidatePair, Merge, PairStatus

log = logging.getLogger(__name__)
RISK_ORDER = {"low": 0, "medium": 1, "high": 2}
# Survivor fields filled from the absorbed resident when blank, and their blank value.
FILLABLE = {
    "id_number": "",
    "sex": "",
    "birth_date": None,
    "phone": "",
    "phone2": "",
    "address": "",
    "household_id": None,
}


class DedupeRefused(Exception):
    """A merge, rejection or undo that cannot be done, with the reason in words."""


def _records(community: Any) -> tuple[Records, list[int]]:
    residents = (
        Resident.objects.filter(place__code__startswith=community.code, merged_into__isnull=True)
        .select_related("household")
        .order_by("id")
    )
    sources: dict[int, str] = {}
    for resident_id, source in SourceRecord.objects.filter(resident__in=residents).values_list(
        "resident_id", "source"
    ):
        sources.setdefault(resident_id, source)
    rows = [
        {
            "key": r.pk,
            "name": r.name,
            "id_number": r.id_number,
            "birth": r.birth_date.isoformat() if r.birth_date else "",
            "sex": r.sex,
            "phone": r.phone,
            "address": r.address or (r.household.address if r.household else ""),
            "source": sources.get(r.pk, ""),
        }
        for r in residents
    ]
    return Records.from_rows(rows), [row["key"] for row in rows]


def do_find_duplicates(
    *, actor: Any, community: Any, min_probability: float = REVIEW
) -> dict[str, int]:
    """Run record linkage over a community's residents and store the candidate pairs.

    Pending pairs are replaced by the new run; pairs a reviewer already merged or
    rejected are kept as decided and not proposed again.
    """
    if community.level != "community":
        raise DedupeRefused(
            _("%(code)s is not a community: duplicates are looked for one community at a time.")
            % {"code": community.code}
        )
    records, _ids = _records(community)
    linkage = link(records)
    found = review_pairs(linkage, min_probability=min_probability)
    now = timezone.now()
    with transaction.atomic(), set_actor(actor):
        decided = set(
            CandidatePair.objects.filter(community=community)
            .exclude(status=PairStatus.PENDING)
            .values_list("resident_a_id", "resident_b_id")
        )
        CandidatePair.objects.filter(community=community, status=PairStatus.PENDING).delete()
        new = []
        for pair in found:
            a, b = sorted((int(pair.a), int(pair.b)))
            if (a, b) in decided:
                continue
            new.append(
                CandidatePair(
                    community=community,
                    resident_a_id=a,
                    resident_b_id=b,
                    probability=pair.probability,
                    weight=pair.weight,
                    evidence=[
                        {"field": e.field, "code": e.code, "weight": e.weight}
                        for e in pair.evidence
                    ],
                    found_at=now,
                )
            )
        CandidatePair.objects.bulk_create(new)
    summary = {
        "residents": len(records),
        "candidates": len(new),
        "likely": sum(1 for p in new if p.probability >= linkage.threshold),
        "already_decided": len(found) - len(new),
    }
    log.info("dedupe community=%s %s", community.code, summary)
    return summary


def do_start_finding(*, actor: Any, community_code: str):
    """Start :func:`do_find_duplicates` for a community as a background job (one at a time)."""
    from linli.jobs.models import Job, JobStatus
    from linli.jobs.runner import enqueue
    from linli.places.models import Place

    community = Place.objects.get(code=community_code)
    running = Job.objects.filter(
        kind="dedupe.find",
        place=community,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
    ).first()
    if running:
        return running
    return enqueue(
        "dedupe.find",
        actor=actor,
        place=community,
        params={"community_code": community.code, "actor_id": getattr(actor, "pk", None)},
    )


def _lock_pair(pair: CandidatePair) -> tuple[CandidatePair, Resident, Resident]:
    pair = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    residents = Resident.objects.select_for_update().in_bulk(
        [pair.resident_a_id, pair.resident_b_id]
    )
    return pair, residents[pair.resident_a_id], residents[pair.resident_b_id]


def _default_survivor(a: Resident, b: Resident) -> Resident:
    """The one with an ID number, then the one more departments listed, then the older row."""

    def rank(r: Resident) -> tuple:
        return (not r.id_number, -r.source_records.count(), r.pk)

    return min((a, b), key=rank)


def _join_wards(survivor: Resident, absorbed: Resident) -> dict:
    survivor_ward = Ward.objects.filter(resident=survivor).first()
    absorbed_ward = Ward.objects.filter(resident=absorbed).first()
    moved: dict[str, Any] = {"ward": None, "survivor_ward": None}
    if absorbed_ward and not survivor_ward:
        absorbed_ward.resident = survivor
        absorbed_ward.save(update_fields=["resident"])
        moved["ward"] = absorbed_ward.pk
    elif absorbed_ward and survivor_ward:
        moved["survivor_ward"] = {"needs": list(survivor_ward.needs), "risk": survivor_ward.risk}
        survivor_ward.needs = list(dict.fromkeys([*survivor_ward.needs, *absorbed_ward.needs]))
        survivor_ward.risk = max(
            (survivor_ward.risk, absorbed_ward.risk), key=lambda r: RISK_ORDER.get(r, 1)
        )
        survivor_ward.save(update_fields=["needs", "risk"])
    return moved


def _fill_blanks(survivor: Resident, absorbed: Resident) -> list[str]:
    filled = []
    for field in FILLABLE:
        if getattr(survivor, field) in ("", None) and getattr(absorbed, field) not in ("", None):
            setattr(survivor, field, getattr(absorbed, field))
            filled.append(field)
    # Another phone number for the same person becomes the survivor's second phone.
    if (
        "phone2" not in filled
        and not survivor.phone2
        and absorbed.phone
        and absorbed.phone != survivor.phone
    ):
        survivor.phone2 = absorbed.phone
        filled.append("phone2")
    if filled:
        survivor.save(update_fields=filled)
    return filled


def do_merge_pair(*, actor: Any, pair: CandidatePair, survivor_id: int | None = None) -> Merge:
    """Merge the pair's two residents into one (the survivor), keeping everything.

    The absorbed resident's source records and categories move to the survivor, a
    ward moves or has its needs joined (the higher risk kept), blank survivor
    fields are filled; the absorbed resident stays, with ``merged_into`` set.
    """
    with transaction.atomic(), set_actor(actor):
        pair, a, b = _lock_pair(pair)
        if pair.status != PairStatus.PENDING:
            raise DedupeRefused(_("This pair has already been decided."))
        if a.merged_into_id or b.merged_into_id:
            raise DedupeRefused(_("One of the two has been merged into someone else already."))
        if survivor_id not in (None, a.pk, b.pk):
            raise DedupeRefused(_("The resident to keep must be one of the pair."))
        survivor = (
            _default_survivor(a, b) if survivor_id is None else (a if a.pk == survivor_id else b)
        )
        absorbed = b if survivor is a else a
        sources = list(SourceRecord.objects.filter(resident=absorbed).order_by("pk"))
        for record in sources:
            record.resident = survivor
            record.save(update_fields=["resident"])
        categories = list(Vulnerability.objects.filter(resident=absorbed).order_by("pk"))
        for category in categories:
            category.resident = survivor
            category.save(update_fields=["resident"])
        moved = {
            "source_records": [r.pk for r in sources],
            "vulnerabilities": [v.pk for v in categories],
            **_join_wards(survivor, absorbed),
            "survivor_fields": _fill_blanks(survivor, absorbed),
        }
        absorbed.merged_into = survivor
        absorbed.save(update_fields=["merged_into"])
        now = timezone.now()
        pair.status, pair.decided_by, pair.decided_at = PairStatus.MERGED, actor, now
        pair.save(update_fields=["status", "decided_by", "decided_at"])
        merge = Merge.objects.create(
            pair=pair,
            survivor=survivor,
            absorbed=absorbed,
            moved=moved,
            merged_by=actor,
            merged_at=now,
        )
    log.info("dedupe merge=%s pair=%s", merge.pk, pair.pk)
    return merge


def do_reject_pair(*, actor: Any, pair: CandidatePair) -> CandidatePair:
    """Record that the two residents are different people; the pair is not proposed again."""
    with transaction.atomic(), set_actor(actor):
        pair, _a, _b = _lock_pair(pair)
        if pair.status != PairStatus.PENDING:
            raise DedupeRefused(_("This pair has already been decided."))
        pair.status, pair.decided_by, pair.decided_at = PairStatus.REJECTED, actor, timezone.now()
        pair.save(update_fields=["status", "decided_by", "decided_at"])
    return pair


def do_undo_merge(*, actor: Any, merge: Merge) -> Merge:
    """Put both residents back exactly as they were before the merge.

    Refused when something since depends on the merge: the survivor merged again,
    or a moved record moved on.
    """
    with transaction.atomic(), set_actor(actor):
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at:
            raise DedupeRefused(_("This merge has already been undone."))
        people = Resident.objects.select_for_update().in_bulk(
            [merge.survivor_id, merge.absorbed_id]
        )
        survivor, absorbed = people[merge.survivor_id], people[merge.absorbed_id]
        if survivor.merged_into_id or absorbed.merged_into_id != survivor.pk:
            raise DedupeRefused(
                _("The kept resident has been merged again since: undo that merge first.")
            )
        moved = merge.moved
        sources = SourceRecord.objects.filter(pk__in=moved["source_records"])
        categories = Vulnerability.objects.filter(pk__in=moved["vulnerabilities"])
        if any(r.resident_id != survivor.pk for r in sources) or any(
            v.resident_id != survivor.pk for v in categories
        ):
            raise DedupeRefused(_("Records moved by this merge have moved again since."))
        for record in sources:
            record.resident = absorbed
            record.save(update_fields=["resident"])
        for category in categories:
            category.resident = absorbed
            category.save(update_fields=["resident"])
        if moved.get("ward"):
            ward = Ward.objects.get(pk=moved["ward"])
            ward.resident = absorbed
            ward.save(update_fields=["resident"])
        if moved.get("survivor_ward"):
            ward = Ward.objects.get(resident=survivor)
            ward.needs, ward.risk = moved["survivor_ward"]["needs"], moved["survivor_ward"]["risk"]
            ward.save(update_fields=["needs", "risk"])
        blanked = []
        for field in moved.get("survivor_fields", []):
            came_from = {getattr(absorbed, field)} | (
                {absorbed.phone} if field == "phone2" else set()
            )
            if getattr(survivor, field) in came_from:
                setattr(survivor, field, FILLABLE[field])
                blanked.append(field)
        if blanked:
            survivor.save(update_fields=blanked)
        absorbed.merged_into = None
        absorbed.save(update_fields=["merged_into"])
        merge.undone_by, merge.undone_at = actor, timezone.now()
        merge.save(update_fields=["undone_by", "undone_at"])
        pair = merge.pair
        pair.status, pair.decided_by, pair.decided_at = PairStatus.PENDING, None, None
        pair.save(update_fields=["status", "decided_by", "decided_at"])
    log.info("dedupe undo merge=%s", merge.pk)
    return merge
