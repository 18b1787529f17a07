"""Issue 18, item 7: a volunteer in scope cancelled the secretary's import. Cancelling a job
now takes its creator or the capability its kind names."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from linli.jobs.models import Job

pytestmark = pytest.mark.django_db


def job_of(kind: str, creator, place) -> Job:
    return Job.objects.create(kind=kind, place=place, created_by=creator)


def cancel_as(user, job: Job):
    client = Client()
    client.force_login(user)
    return client.post(reverse("jobs:cancel", kwargs={"pk": job.pk}))


def test_a_volunteer_cannot_cancel_the_secretarys_import(secretary, make_user, inside):
    job = job_of("register.run_import", secretary, inside.grid)
    volunteer = make_user("volunteer")
    assert cancel_as(volunteer, job).status_code == 403
    job.refresh_from_db()
    assert (job.cancel_requested, job.status) == (False, "queued")
    page = Client()
    page.force_login(volunteer)
    assert "jobs/" + str(job.pk) + "/cancel/" not in page.get(
        reverse("jobs:detail", kwargs={"pk": job.pk})
    ).content.decode()


def test_a_volunteer_cannot_cancel_a_roster_build(secretary, make_user, inside):
    job = job_of("rostering.build", secretary, inside.community)
    assert cancel_as(make_user("volunteer"), job).status_code == 403
    assert not Job.objects.get(pk=job.pk).cancel_requested


def test_the_creator_cancels_their_own_job(secretary, inside):
    job = job_of("register.run_import", secretary, inside.grid)
    assert cancel_as(secretary, job).status_code == 200
    job.refresh_from_db()
    assert (job.cancel_requested, job.status) == (True, "cancelled")


@pytest.mark.parametrize(
    ("kind", "role"),
    [("register.run_import", "grid_worker"), ("rostering.build", "taskforce_lead")],
)
def test_a_holder_of_the_jobs_capability_cancels_it(kind, role, secretary, make_user, inside):
    job = job_of(kind, secretary, inside.grid)
    assert cancel_as(make_user(role), job).status_code == 200
    assert Job.objects.get(pk=job.pk).cancel_requested


def test_a_job_without_a_capability_is_cancelled_by_its_creator_only(secretary, make_user, inside):
    job = job_of("notifications.deliver", None, inside.community)
    assert cancel_as(secretary, job).status_code == 403
    assert cancel_as(make_user("system_admin"), job).status_code == 403
