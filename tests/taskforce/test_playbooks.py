"""Adopting, copying with provenance, publishing versions, diffs, the library."""

import pytest
from django.urls import reverse

from linli.places.models import Place
from linli.taskforce import playbook_services as books
from linli.taskforce.models import Entry, Group, Member, Playbook, Position, TaskForce
from linli.taskforce.services import do_add_member, do_update_group

from .conftest import NEIGHBOUR

pytestmark = pytest.mark.django_db


def test_adopting_the_built_in_playbook_sets_up_the_whole_task_force(adopted, builtin_version):
    content = builtin_version.content
    groups = list(adopted.groups.order_by("order"))
    assert [g.kind for g in groups] == [g["kind"] for g in content["groups"]]
    assert [g.name for g in groups][:2] == ["综合协调组", "数据统计组"]
    for group, spec in zip(groups, content["groups"], strict=True):
        assert [p.name for p in group.positions.all()] == [p["name"] for p in spec["positions"]]
        for section in ("duties", "standards", "steps"):
            texts = list(group.entries.filter(section=section).values_list("text", flat=True))
            assert texts == [t["text"] for t in spec[section]]
        assert group.entries.filter(section="templates").count() == len(spec["templates"])
    assert adopted.adopted == builtin_version
    assert books.content_of(adopted).as_dict() == content  # nothing lost on the way in


def test_installing_the_built_in_playbooks_twice_changes_nothing(builtin_version):
    books.ensure_builtin_playbooks()
    assert Playbook.objects.filter(key="sealed-community-epidemic").count() == 1
    assert builtin_version.playbook.versions.count() == 1


def test_adopting_again_keeps_members_on_their_positions(adopted, secretary, builtin_version):
    group = adopted.groups.get(kind="logistics")
    position = group.positions.get(name="仓库管理员")
    member = do_add_member(actor=secretary, group=group, name="王库管", position=position)
    books.do_adopt_playbook(actor=secretary, community=adopted.community, version=builtin_version)
    member.refresh_from_db()
    assert member.position == position and member.group == group
    assert Group.objects.filter(taskforce=adopted).count() == 7


def test_only_a_community_has_a_task_force(secretary, builtin_version):
    street = Place.objects.get(code="510107005")
    with pytest.raises(books.PlaybookError, match="not a community"):
        books.do_adopt_playbook(actor=secretary, community=street, version=builtin_version)
    assert not TaskForce.objects.exists()


def edit_duty(group, index, text, actor):
    duties = list(group.entries.filter(section="duties").values_list("text", flat=True))
    duties[index] = text
    do_update_group(
        actor=actor,
        group=group,
        name=group.name,
        positions="\n".join(group.positions.values_list("name", flat=True)),
        duties="\n".join(duties),
        standards="\n".join(
            group.entries.filter(section="standards").values_list("text", flat=True)
        ),
        steps="\n".join(group.entries.filter(section="steps").values_list("text", flat=True)),
    )


def test_publish_versions_copy_with_provenance_and_diff(adopted, secretary, make_user, client):
    community = adopted.community
    first = books.do_publish_playbook(actor=secretary, community=community, note="ours")
    assert (first.number, first.playbook.owner) == (1, community)
    assert books.provenance(first.playbook) == "封控社区疫情应对专项工作组 v1"
    with pytest.raises(books.PlaybookError, match="Nothing has changed since version 1"):
        books.do_publish_playbook(actor=secretary, community=community)

    logistics = adopted.groups.get(kind="logistics")
    edit_duty(logistics, 1, "按申请和服务人数公平分配防护物资", secretary)
    second = books.do_publish_playbook(actor=secretary, community=community, shared=True)
    assert (second.playbook_id, second.number) == (first.playbook_id, 2)

    # Another community copies version 2: provenance names 玉林东路社区 v2.
    neighbour = Place.objects.get(code=NEIGHBOUR)
    other = make_user("community_secretary", NEIGHBOUR)
    copy = books.do_copy_playbook(actor=other, community=neighbour, version=second)
    assert copy.owner == neighbour and copy.derived_from == second
    assert books.provenance(copy) == "玉林东路社区 v2"
    assert neighbour.taskforce.adopted.playbook == copy
    copied = neighbour.taskforce.groups.get(kind="logistics").entries.filter(section="duties")
    assert "按申请和服务人数公平分配防护物资" in copied.values_list("text", flat=True)

    client.force_login(other)
    page = client.get(reverse("taskforce:playbook", args=[copy.pk])).content.decode()
    assert "adapted from 玉林东路社区 v2" in page

    # The diff between the two versions shows the changed duty with before and after.
    client.force_login(secretary)
    response = client.get(
        reverse("taskforce:playbook_diff", args=[first.playbook_id]), {"a": 1, "b": 2}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<del>按申请公平分配防护物资</del>" in body
    assert "<ins>按申请和服务人数公平分配防护物资</ins>" in body
    assert body.count('class="change changed"') == 1


def test_a_private_playbook_is_not_in_another_community_library(
    adopted, secretary, make_user, client
):
    version = books.do_publish_playbook(actor=secretary, community=adopted.community, shared=False)
    stranger = make_user("community_secretary", "510104017001")
    client.force_login(stranger)
    assert client.get(reverse("taskforce:playbook", args=[version.playbook_id])).status_code == 404
    library = client.get(reverse("taskforce:playbooks")).content.decode()
    assert "v1" in library  # the built-in one is there
    assert f'href="/taskforce/playbooks/{version.playbook_id}/"' not in library


def test_the_library_finds_playbooks_by_what_they_solve_with_users_and_ratings(
    adopted, secretary, client, builtin_version
):
    books.do_rate_playbook(
        actor=secretary, community=adopted.community, playbook=builtin_version.playbook, stars=4
    )
    client.force_login(secretary)
    found = client.get(reverse("taskforce:playbooks"), {"q": "捐赠"}).content.decode()
    assert "Sealed-community epidemic response task force" in found  # English page
    assert "used by 1 community" in found and "★ 4.0 (1)" in found
    assert "物资捐赠接收单" in found  # the template that answers the search
    assert (
        "No playbook matches"
        in client.get(reverse("taskforce:playbooks"), {"q": "火山喷发"}).content.decode()
    )
    by_tag = client.get(reverse("taskforce:playbooks"), {"tag": "卡口"}).content.decode()
    assert "Sealed-community epidemic response task force" in by_tag
    with pytest.raises(books.PlaybookError, match="from 1 to 5"):
        books.do_rate_playbook(
            actor=secretary, community=adopted.community, playbook=builtin_version.playbook, stars=9
        )


def test_templates_carry_files_and_positions_hold_members(adopted, secretary, client):
    from linli.taskforce.services import do_add_template

    group = adopted.groups.get(kind="statistics")
    entry = do_add_template(
        actor=secretary, group=group, title="日报表", file_name="日报.xlsx", data=b"PK\x03\x04"
    )
    client.force_login(secretary)
    response = client.get(reverse("taskforce:template", args=[entry.pk]))
    assert response.status_code == 200 and response.content == b"PK\x03\x04"
    assert Entry.objects.filter(group=group, section="templates").count() == 2
    assert Position.objects.filter(group=group).count() == 3
    assert Member.objects.count() == 0
