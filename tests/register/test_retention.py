"""Retention: people who left and ended quarantines are anonymised once past the period;
nothing else is touched, a second run finds nothing, a dry run changes nothing."""

import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from linli.cli import main as linli
from linli.guardianship.models import Contact
from linli.register.models import Household, Resident, SourceRecord, Vulnerability
from linli.register.retention import apply_retention

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def left_long_ago(inside):
    """The neighbourhood's old lady moved out 200 days ago; her story is everywhere."""
    r = inside.resident
    r.moved_out = TODAY - dt.timedelta(days=200)
    r.notes = "独居，需要每日送药"
    r.phone2 = "13900000000"
    r.save()  # an audit entry carrying her name and notes
    Contact.objects.create(
        ward=inside.ward,
        volunteer=inside.volunteer,
        at=timezone.now(),
        method="visit",
        provided="降压药",
        concerns="情绪低落",
    )
    SourceRecord.objects.create(
        community=inside.community,
        resident=r,
        source="民政",
        key="1",
        fields={"姓名": r.name, "身份证号": r.id_number},
        digest="d",
        imported_at=timezone.now(),
    )
    Vulnerability.objects.create(
        resident=r,
        category="home_quarantine",
        start_date=TODAY - dt.timedelta(days=230),
        end_date=TODAY - dt.timedelta(days=216),
    )
    return r


def identifying_values(resident: Resident) -> list[str]:
    return [resident.name, resident.id_number, resident.phone2, resident.notes, "情绪低落"]


def test_a_person_who_left_long_ago_is_anonymised_everywhere(left_long_ago, outside):
    secrets = identifying_values(left_long_ago)
    report = apply_retention(days=180, today=TODAY)
    assert (report.residents, report.quarantines, report.contacts) == (1, 1, 1)
    r = Resident.objects.get(pk=left_long_ago.pk)
    assert r.anonymised_at is not None
    assert (r.name, r.id_number, r.phone, r.phone2, r.notes, r.address) == ("",) * 6
    assert r.birth_date == dt.date(1940, 1, 1)  # the year stays for counts by age
    assert (r.sex, r.place_id, r.moved_out) == (
        "F",
        left_long_ago.place_id,
        left_long_ago.moved_out,
    )
    assert list(r.vulnerabilities.values_list("category", flat=True)) == ["elderly_alone"]
    contact = Contact.objects.get(ward__resident=r)
    assert (contact.provided, contact.concerns) == ("", "")
    assert SourceRecord.objects.get(resident=r).fields == {}
    household = Household.objects.get(pk=r.household_id)
    assert (household.address, household.room) == ("", "")
    trail = json.dumps(
        list(LogEntry.objects.values("changes", "changes_text", "object_repr")),
        ensure_ascii=False,
    )
    for secret in secrets:
        assert secret not in trail, trail
    # Someone still living in the other community is untouched.
    other = Resident.objects.get(pk=outside.resident.pk)
    assert other.name and other.id_number and other.anonymised_at is None


def test_not_yet_due_and_repeated_runs_change_nothing(left_long_ago):
    recent = left_long_ago
    recent.moved_out = TODAY - dt.timedelta(days=179)
    recent.save()
    report = apply_retention(days=180, today=TODAY)
    assert (report.residents, report.contacts) == (0, 0)
    assert Resident.objects.get(pk=recent.pk).name == recent.name
    # The quarantine ended 216 days ago: it is due on its own.
    assert report.quarantines == 1
    again = apply_retention(days=180, today=TODAY)
    assert (again.residents, again.quarantines, again.import_files) == (0, 0, 0)


def test_a_dry_run_counts_and_changes_nothing(left_long_ago):
    report = apply_retention(days=180, today=TODAY, dry_run=True)
    assert (report.residents, report.quarantines) == (1, 1)
    r = Resident.objects.get(pk=left_long_ago.pk)
    assert r.name == left_long_ago.name and r.anonymised_at is None
    assert r.vulnerabilities.filter(category="home_quarantine").exists()


def test_the_command_prints_counts_and_refuses_a_bad_period(left_long_ago, capsys):
    assert linli(["retention", "--dry-run", "--days", "30"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["residents"] == 1 and printed["dry_run"] is True
    with pytest.raises(SystemExit):
        linli(["retention", "--days", "0"])
    assert "--days must be at least 1" in capsys.readouterr().err
