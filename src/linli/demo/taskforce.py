"""The demo community's task force from the built-in playbook, with leads, members, a daily
report task, a social-work organisation's workers, and a neighbour that copied its playbook."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.guardianship.models import Volunteer
from linli.places.models import Place
from linli.taskforce.models import TaskForce
from linli.taskforce.org_services import do_add_worker, do_deploy_workers, do_register_organisation
from linli.taskforce.playbook_services import (
    builtin,
    do_adopt_playbook,
    do_copy_playbook,
    do_publish_playbook,
)
from linli.taskforce.services import do_add_member, do_add_recurring, do_make_daily_tasks

NEIGHBOUR = "510107005001"  # 玉林北路社区: copies the demo community's playbook
WORKERS = ["周晓梅", "陈思远", "李娜", "王海", "赵静"]


@transaction.atomic
def do_set_up_demo_taskforce(community_code: str) -> int:
    """Returns the number of groups set up, 0 when the demo task force is already there."""
    community = Place.objects.get(code=community_code)
    if TaskForce.objects.filter(community=community).exists():
        return 0
    secretary = User.objects.filter(role="community_secretary", place=community).first()
    taskforce = do_adopt_playbook(actor=secretary, community=community, version=builtin().latest())
    groups = {g.kind: g for g in taskforce.groups.all()}
    lead = User.objects.filter(role="taskforce_lead", place=community).first()
    if lead is not None:
        do_add_member(
            actor=secretary,
            group=groups["command"],
            account=lead,
            name="组长（演示）",
            position=groups["command"].positions.first(),
            is_lead=True,
        )
    volunteers = Volunteer.objects.filter(place__code__startswith=community.code).order_by("pk")
    for kind, volunteer in zip(
        ["patrol", "patrol", "logistics", "quarantine_support", "statistics"],
        volunteers[:5],
        strict=False,
    ):
        group = groups[kind]
        do_add_member(
            actor=secretary,
            group=group,
            volunteer=volunteer,
            is_lead=not group.members.filter(is_lead=True).exists(),
        )
    do_add_recurring(
        actor=secretary,
        group=groups["statistics"],
        title="报送街道日报",
        due_time=dt.time(16, 0),
        priority="high",
    )
    do_add_recurring(
        actor=secretary,
        group=groups["logistics"],
        title="盘点仓库并核对剩余天数",
        due_time=dt.time(9, 0),
    )
    do_make_daily_tasks()

    street = community.parent
    coordinator = User.objects.filter(role="social_org_coordinator", place=street).first()
    org = do_register_organisation(
        actor=coordinator,
        place=street,
        name="玉林社区社会工作服务中心",
        kind="social_work",
        contact="服务热线 028-0000 0000",
        specialities="心理疏导，为老服务，困境儿童",
    )
    workers = [
        do_add_worker(actor=coordinator, organisation=org, name=name, specialities="入户探访")
        for name in WORKERS
    ]
    today = timezone.localdate()
    deployed = do_deploy_workers(
        actor=coordinator,
        workers=workers[:3],
        community=community,
        role="困难群众探访",
        start=today - dt.timedelta(days=3),
        end=today + dt.timedelta(days=27),
    )
    do_add_member(
        actor=secretary,
        group=groups["quarantine_support"],
        deployment=deployed[0],
        position=groups["quarantine_support"].positions.filter(name="社工").first(),
    )
    version = do_publish_playbook(
        actor=secretary, community=community, note="演示社区第一版", shared=True
    )
    neighbour = Place.objects.filter(code=NEIGHBOUR).first()
    if neighbour is not None and not TaskForce.objects.filter(community=neighbour).exists():
        do_copy_playbook(actor=None, community=neighbour, version=version)
    return len(groups)
