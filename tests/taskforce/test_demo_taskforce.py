import pytest

from linli.demo.taskforce import NEIGHBOUR, do_set_up_demo_taskforce
from linli.taskforce.models import Deployment, Member, Task, TaskForce
from linli.taskforce.playbook_services import provenance

pytestmark = pytest.mark.django_db


def test_demo_task_force_is_set_up_once_with_members_tasks_and_social_workers(
    inside, secretary, make_user
):
    make_user("taskforce_lead")
    make_user("social_org_coordinator")
    assert do_set_up_demo_taskforce(inside.community.code) == 7
    taskforce = TaskForce.objects.get(community=inside.community)
    assert Member.objects.filter(group__taskforce=taskforce, is_lead=True).count() >= 2
    assert Task.objects.filter(taskforce=taskforce, recurring__isnull=False).count() == 2
    assert Deployment.objects.filter(community=inside.community).count() == 3
    neighbour = TaskForce.objects.get(community__code=NEIGHBOUR)
    assert provenance(neighbour.adopted.playbook) == "玉林东路社区 v1"
    assert do_set_up_demo_taskforce(inside.community.code) == 0
