"""Finding, merging, rejecting and undoing duplicates on a real database."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase
from django.urls import reverse

from linli.dedupe.models import CandidatePair, Merge, PairStatus
from linli.dedupe.selectors import pairs_for
from linli.dedupe.services import (
    DedupeRefused,
    do_find_duplicates,
    do_merge_pair,
    do_reject_pair,
    do_undo_merge,
)
from linli.register.models import Resident, SourceRecord, Vulnerability, Ward


def _pair(twice) -> CandidatePair:
    a, b = sorted((twice.first.pk, twice.second.pk))
    return CandidatePair.objects.get(resident_a_id=a, resident_b_id=b)


def _state(*residents) -> dict:
    """Everything a merge may touch, read back from the database."""
    out = {}
    for r in residents:
        r = Resident.objects.get(pk=r.pk)
        out[r.pk] = {
            "fields": {
                f: getattr(r, f)
                for f in (
                    "name",
                    "id_number",
                    "sex",
                    "birth_date",
                    "phone",
                    "phone2",
                    "address",
                    "household_id",
                    "merged_into_id",
                )
            },
            "sources": sorted(SourceRecord.objects.filter(resident=r).values_list("pk", flat=True)),
            "categories": sorted(
                Vulnerability.objects.filter(resident=r).values_list("pk", "category")
            ),
            "ward": list(Ward.objects.filter(resident=r).values("pk", "risk", "needs")),
        }
    return out


@pytest.mark.django_db
def test_finds_the_person_listed_twice_with_evidence(twice, secretary, inside):
    summary = do_find_duplicates(actor=secretary, community=inside.community)
    pair = _pair(twice)
    assert pair.status == PairStatus.PENDING
    assert pair.probability >= 0.5
    codes = {e["field"]: e["code"] for e in pair.evidence}
    assert codes["name"] == "name.same_pinyin"
    assert codes["id"] == "id.missing"
    assert codes["birth"] == "birth.same"
    assert codes["address"] == "address.same"
    assert summary["residents"] == Resident.objects.count()
    assert summary["candidates"] == CandidatePair.objects.count()
    # the son in the same household is not taken for his mother
    neighbour = {twice.first.pk, twice.neighbour.pk}
    assert not any(
        {p.resident_a_id, p.resident_b_id} == neighbour and p.probability >= 0.5
        for p in CandidatePair.objects.all()
    )


@pytest.mark.django_db
def test_running_again_replaces_pending_and_keeps_decisions(twice, secretary, inside):
    do_find_duplicates(actor=secretary, community=inside.community)
    count = CandidatePair.objects.count()
    do_find_duplicates(actor=secretary, community=inside.community)
    assert CandidatePair.objects.count() == count
    do_reject_pair(actor=secretary, pair=_pair(twice))
    summary = do_find_duplicates(actor=secretary, community=inside.community)
    assert _pair(twice).status == PairStatus.REJECTED
    assert summary["already_decided"] >= 1
    with pytest.raises(DedupeRefused):
        do_merge_pair(actor=secretary, pair=_pair(twice))


@pytest.mark.django_db
def test_merge_keeps_everything_and_undo_restores_exactly(twice, secretary, inside):
    do_find_duplicates(actor=secretary, community=inside.community)
    before = _state(twice.first, twice.second)
    merge = do_merge_pair(actor=secretary, pair=_pair(twice))

    first, second = (Resident.objects.get(pk=r.pk) for r in (twice.first, twice.second))
    assert merge.survivor_id == first.pk  # the one with an ID number
    assert second.merged_into_id == first.pk
    assert set(SourceRecord.objects.filter(resident=first).values_list("source", flat=True)) == {
        "民政",
        "卫健",
    }
    assert set(Vulnerability.objects.filter(resident=first).values_list("category", flat=True)) == {
        "elderly_alone",
        "chronic_medicine",
    }
    ward = Ward.objects.get(resident=first)
    assert ward.risk == "high" and set(ward.needs) == {"meals", "medicine"}
    assert first.phone2 == "13911112222"
    assert first.address == "甲花园1号楼1单元101室"
    assert Resident.objects.current().filter(pk=second.pk).count() == 0
    assert _pair(twice).status == PairStatus.MERGED
    logged = LogEntry.objects.get_for_object(second).filter(actor=secretary)
    assert any("merged_into" in (entry.changes or {}) for entry in logged)
    assert LogEntry.objects.get_for_object(merge).filter(actor=secretary).exists()

    do_undo_merge(actor=secretary, merge=merge)
    assert _state(twice.first, twice.second) == before
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == secretary
    assert _pair(twice).status == PairStatus.PENDING
    with pytest.raises(DedupeRefused, match="already been undone"):
        do_undo_merge(actor=secretary, merge=merge)


@pytest.mark.django_db
def test_ward_moves_when_survivor_has_none_and_back(twice, secretary, inside):
    do_find_duplicates(actor=secretary, community=inside.community)
    Ward.objects.filter(resident=twice.first).delete()
    before = _state(twice.first, twice.second)
    merge = do_merge_pair(actor=secretary, pair=_pair(twice), survivor_id=twice.first.pk)
    assert Ward.objects.get(resident=twice.first).needs == ["medicine"]
    do_undo_merge(actor=secretary, merge=merge)
    assert _state(twice.first, twice.second) == before


@pytest.mark.django_db
def test_undo_refused_while_a_later_merge_depends_on_it(twice, secretary, inside):
    do_find_duplicates(actor=secretary, community=inside.community)
    first = do_merge_pair(actor=secretary, pair=_pair(twice), survivor_id=twice.second.pk)
    later_pair = CandidatePair.objects.create(
        community=inside.community,
        resident_a_id=min(twice.second.pk, twice.neighbour.pk),
        resident_b_id=max(twice.second.pk, twice.neighbour.pk),
        probability=0.9,
        weight=3.0,
        found_at=first.merged_at,
    )
    later = do_merge_pair(actor=secretary, pair=later_pair, survivor_id=twice.neighbour.pk)
    with pytest.raises(DedupeRefused, match="undo that merge first"):
        do_undo_merge(actor=secretary, merge=first)
    do_undo_merge(actor=secretary, merge=later)
    do_undo_merge(actor=secretary, merge=first)
    assert Resident.objects.get(pk=twice.first.pk).merged_into_id is None


@pytest.mark.django_db
def test_reviewers_see_only_pairs_in_their_place(twice, secretary, inside, outside, make_user):
    do_find_duplicates(actor=secretary, community=inside.community)
    pair = _pair(twice)
    assert pair in pairs_for(secretary)
    other = make_user("community_secretary", outside.community.code)
    assert not pairs_for(other).exists()
    grid_worker = make_user("grid_worker")
    assert pair in pairs_for(grid_worker)  # both residents in the grid
    client = Client()
    client.force_login(other)
    assert client.get(reverse("dedupe:pair", args=[pair.pk])).status_code == 404
    assert client.post(reverse("dedupe:merge", args=[pair.pk])).status_code == 404
    assert _pair(twice).status == PairStatus.PENDING


@pytest.mark.django_db
def test_review_page_merge_and_undo(twice, secretary, inside):
    do_find_duplicates(actor=secretary, community=inside.community)
    pair = _pair(twice)
    client = Client()
    client.force_login(secretary)
    page = client.get(reverse("dedupe:review"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "甲老仁" in body and "甲老人" in body
    assert twice.first.id_number not in body  # masked
    assert twice.first.id_masked in body
    assert "民政" in body and "卫健" in body  # which department listed each
    response = client.post(reverse("dedupe:merge", args=[pair.pk]), {"keep": "b"})
    assert response.status_code == 302
    merge = Merge.objects.get(pair=pair)
    assert merge.survivor_id == pair.resident_b_id
    response = client.post(reverse("dedupe:undo", args=[merge.pk]))
    assert response.status_code == 302
    assert Resident.objects.get(pk=pair.resident_a_id).merged_into_id is None
    reject = client.post(reverse("dedupe:reject", args=[pair.pk]))
    assert reject.status_code == 302
    assert _pair(twice).status == PairStatus.REJECTED


@pytest.mark.django_db
def test_command_line(twice, inside, capsys):
    call_command("dedupe", "--community", inside.community.code)
    out = capsys.readouterr().out
    assert f"{inside.community.code}:" in out and "candidate pairs" in out
    assert CandidatePair.objects.filter(community=inside.community).exists()
    with pytest.raises(CommandError, match="no place with code '999'"):
        call_command("dedupe", "--community", "999")
    with pytest.raises(CommandError, match="is not a community"):
        call_command("dedupe", "--community", inside.grid.code)


@pytest.mark.django_db
def test_button_runs_the_search_as_a_job(twice, secretary, settings):
    from linli.jobs.models import Job, JobStatus

    settings.LINLI_JOBS = "eager"
    client = Client()
    client.force_login(secretary)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("dedupe:run"))
    job = Job.objects.get(kind="dedupe.find")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["candidates"] == CandidatePair.objects.count() >= 1
    assert _pair(twice).status == PairStatus.PENDING


@pytest.mark.django_db
def test_linli_dedupe_entry_point(twice, inside, capsys):
    from linli.cli import main

    assert main(["dedupe", "--community", inside.community.code]) == 0
    assert "candidate pairs" in capsys.readouterr().out
    assert main(["dedupe", "--community", "123"]) == 2
    assert "no place with code '123'" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_merged_duplicate_ward_is_not_planned_twice(twice, secretary, inside):
    from linli.guardianship.problem import scenario_for

    do_find_duplicates(actor=secretary, community=inside.community)
    do_merge_pair(actor=secretary, pair=_pair(twice))
    ward_ids = {w.id for w in scenario_for(inside.community).wards}
    assert Ward.objects.get(resident=twice.first).pk in ward_ids
    assert Ward.objects.get(resident=twice.second).pk not in ward_ids
