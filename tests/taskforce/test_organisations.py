"""Social-work organisations: registry, workers, deployments; who is present in a community;
which communities in an officer's area have no support; deployed workers join the task force."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.places.models import Place
from linli.taskforce.models import Deployment, Member
from linli.taskforce.org_services import (
    do_add_worker,
    do_deploy_workers,
    do_register_organisation,
)
from linli.taskforce.services import TaskforceError, do_add_member

pytestmark = pytest.mark.django_db

STREET = "510107005"


@pytest.fixture
def org(make_user):
    coordinator = make_user("social_org_coordinator")
    organisation = do_register_organisation(
        actor=coordinator,
        place=coordinator.place,
        name="玉林社工服务中心",
        kind="social_work",
        contact="李主任 028-12345678",
        specialities="心理疏导，为老服务",
    )
    return coordinator, organisation


def test_one_organisation_deploys_a_hundred_workers_across_ten_communities(org):
    coordinator, organisation = org
    workers = [
        do_add_worker(actor=coordinator, organisation=organisation, name=f"社工{i:03d}")
        for i in range(100)
    ]
    communities = list(
        Place.objects.filter(level="community", code__startswith="5101070").order_by("code")[:10]
    )
    today = timezone.localdate()
    for i, community in enumerate(communities):
        do_deploy_workers(
            actor=coordinator,
            workers=workers[i * 10 : (i + 1) * 10],
            community=community,
            role="入户探访",
            start=today.isoformat(),
            end=(today + dt.timedelta(days=14)).isoformat(),
        )
    assert Deployment.objects.count() == 100
    assert organisation.specialities == ["心理疏导", "为老服务"]
    assert {d.community_id for d in Deployment.objects.all()} == {c.pk for c in communities}


def test_deployments_are_checked_all_or_nothing(org, inside):
    coordinator, organisation = org
    a = do_add_worker(actor=coordinator, organisation=organisation, name="张社工")
    b = do_add_worker(actor=coordinator, organisation=organisation, name="刘社工")
    do_deploy_workers(
        actor=coordinator,
        workers=[a],
        community=inside.community,
        role="心理疏导",
        start="2026-03-01",
    )
    with pytest.raises(TaskforceError, match="张社工 is already deployed to 玉林东路社区"):
        do_deploy_workers(
            actor=coordinator,
            workers=[b, a],
            community=inside.community,
            role="送药",
            start="2026-03-05",
        )
    assert not Deployment.objects.filter(worker=b).exists()  # nothing half-written
    with pytest.raises(TaskforceError, match="Until is before From"):
        do_deploy_workers(
            actor=coordinator,
            workers=[b],
            community=inside.community,
            role="x",
            start="2026-03-05",
            end="2026-03-01",
        )
    with pytest.raises(TaskforceError, match="is not a date"):
        do_deploy_workers(
            actor=coordinator, workers=[b], community=inside.community, role="x", start="3月5日"
        )
    with pytest.raises(TaskforceError, match="is not a community"):
        do_deploy_workers(
            actor=coordinator,
            workers=[b],
            community=Place.objects.get(code=STREET),
            role="x",
            start="2026-03-05",
        )


def test_the_community_sees_who_is_present_and_officers_see_who_has_no_support(
    org, inside, secretary, make_user, client
):
    coordinator, organisation = org
    worker = do_add_worker(
        actor=coordinator, organisation=organisation, name="张社工", specialities="心理疏导"
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    do_deploy_workers(
        actor=coordinator,
        workers=[worker],
        community=inside.community,
        role="心理疏导",
        start=yesterday,
    )
    client.force_login(secretary)
    present = client.get(
        reverse("taskforce:support", args=[inside.community.code])
    ).content.decode()
    assert "张社工" in present and "玉林社工服务中心" in present

    client.force_login(make_user("street_officer"))
    body = client.get(reverse("taskforce:support_gaps")).content.decode()
    communities = Place.objects.filter(level="community", code__startswith=STREET).count()
    assert f"{communities - 1} communities have no organisation support today." in body
    assert body.index("玉林北路社区") < body.index("玉林东路社区")  # those without come first


def test_a_deployed_worker_joins_the_task_force_and_others_do_not(org, adopted, inside):
    coordinator, organisation = org
    here = do_add_worker(
        actor=coordinator, organisation=organisation, name="张社工", phone="13900000000"
    )
    [deployment] = do_deploy_workers(
        actor=coordinator,
        workers=[here],
        community=inside.community,
        role="心理疏导",
        start=timezone.localdate(),
    )
    group = adopted.groups.get(kind="quarantine_support")
    member = do_add_member(
        actor=None, group=group, deployment=deployment, position=group.positions.get(name="社工")
    )
    assert (member.name, member.phone, member.deployment) == ("张社工", "13900000000", deployment)
    elsewhere = do_add_worker(actor=coordinator, organisation=organisation, name="刘社工")
    [other] = do_deploy_workers(
        actor=coordinator,
        workers=[elsewhere],
        community=Place.objects.get(code="510107005001"),
        role="送药",
        start=timezone.localdate(),
    )
    with pytest.raises(TaskforceError, match="not deployed to this community today"):
        do_add_member(actor=None, group=group, deployment=other)
    assert Member.objects.count() == 1


def test_coordinator_pages_register_and_deploy(org, client, inside):
    coordinator, organisation = org
    client.force_login(coordinator)
    response = client.post(
        reverse("taskforce:organisations"), {"name": "", "kind": "charity"}, follow=True
    )
    assert "Organisation name is required" in response.content.decode()
    url = reverse("taskforce:organisation", args=[organisation.pk])
    client.post(url, {"name": "周社工", "specialities": "康复"})
    worker = organisation.workers.get()
    response = client.post(
        url,
        {
            "action": "deploy",
            "workers": [worker.pk],
            "community": inside.community.code,
            "role": "康复指导",
            "start": "2026-03-02",
        },
        follow=True,
    )
    assert "1 deployed to 玉林东路社区" in response.content.decode()
    outside = client.post(
        url,
        {
            "action": "deploy",
            "workers": [worker.pk],
            "community": "510104017001",
            "role": "x",
            "start": "2026-03-02",
        },
        follow=True,
    )
    assert "Choose a community within your area" in outside.content.decode()
