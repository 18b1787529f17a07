"""Periodic jobs are enqueued once per time slot, however many schedulers tick."""

import datetime as dt

import pytest

from linli.jobs.models import Job
from linli.jobs.schedule import PERIODIC, tick


@pytest.mark.django_db
def test_each_periodic_job_is_enqueued_once_per_slot(settings, inside):
    settings.LINLI_JOBS = "eager"
    now = dt.datetime(2026, 11, 29, 8, 0, 10, tzinfo=dt.UTC)
    first = tick(now)
    again = tick(now + dt.timedelta(seconds=5))  # a second scheduler, same slot
    assert [j.pk for j in first] == [j.pk for j in again]
    assert sorted(j.kind for j in first) == sorted(PERIODIC)
    later = tick(now + dt.timedelta(seconds=max(PERIODIC.values())))
    assert not {j.pk for j in later} & {j.pk for j in first}
    assert Job.objects.filter(kind="guardianship.escalate").count() == 2
