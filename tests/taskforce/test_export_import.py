"""`linli playbook export/import`: a round trip without loss; a corrupt or foreign file is
refused with the reason and changes nothing."""

from pathlib import Path

import pytest

from linli.cli import main as linli
from linli.places.models import Place
from linli.taskforce import playbook_services as books
from linli.taskforce.models import Entry, Group, Playbook, PlaybookVersion, Position, TaskForce
from linli.taskforce.services import do_add_group, do_add_template

from .conftest import NEIGHBOUR

FOREIGN = Path("src/linli/reports/forms/street_daily.yaml")  # a department form, not a playbook

pytestmark = pytest.mark.django_db


def structure(community: Place) -> list:
    """Everything a playbook holds, as the task force stores it."""
    out = []
    for group in Group.objects.filter(taskforce__community=community).order_by("order"):
        out.append(
            (
                group.kind,
                group.name,
                group.name_en,
                [(p.name, p.name_en) for p in Position.objects.filter(group=group)],
                [
                    (e.section, e.order, e.text, e.text_en, e.body, e.file_name, bytes(e.file))
                    for e in Entry.objects.filter(group=group).order_by("section", "order")
                ],
            )
        )
    return out


def database_state() -> tuple:
    return (
        sorted(
            TaskForce.objects.values_list("community__code", "adopted_id"),
        ),
        list(Playbook.objects.order_by("pk").values_list("pk", "title")),
        list(PlaybookVersion.objects.order_by("pk").values_list("pk", "number")),
        structure(Place.objects.get(code=NEIGHBOUR)),
    )


@pytest.fixture
def customised(secretary, inside):
    """The inside community's task force from the built-in playbook, adapted: an extra group
    and a template with a file."""
    version = books.builtin().latest()
    taskforce = books.do_adopt_playbook(
        actor=secretary, community=inside.community, version=version
    )
    group = do_add_group(actor=secretary, taskforce=taskforce, kind="psych", name="心理疏导组")
    do_add_template(
        actor=secretary,
        group=group,
        title="心理热线排班",
        body="每天 9–21 点",
        file_name="排班.xlsx",
        data=b"PK\x03\x04\x00\xff",
    )
    return taskforce


def test_export_then_import_round_trips_without_loss(customised, tmp_path, capsys):
    exported = tmp_path / "yulin.yaml"
    assert (
        linli(
            [
                "playbook",
                "export",
                "--community",
                customised.community.code,
                "--output",
                str(exported),
            ]
        )
        == 0
    )
    assert linli(["playbook", "import", str(exported), "--community", NEIGHBOUR]) == 0
    assert "imported" in capsys.readouterr().out

    neighbour = Place.objects.get(code=NEIGHBOUR)
    assert structure(neighbour) == structure(customised.community)  # compared in the database
    again = tmp_path / "again.yaml"
    assert linli(["playbook", "export", "--community", NEIGHBOUR, "--output", str(again)]) == 0

    from linli.domain.playbooks.fileformat import load

    before, after = load(exported.read_bytes()), load(again.read_bytes())
    assert after.content == before.content  # and as files
    assert after.source["community"] == NEIGHBOUR
    imported = neighbour.taskforce.adopted.playbook
    assert imported.provenance_note == "玉林东路社区"  # the source had not published a version
    assert before.source["adapted_from"] == "封控社区疫情应对专项工作组 v1"
    assert len(after.content.groups) == 8


def test_importing_the_same_file_twice_adds_no_version(customised, tmp_path):
    exported = tmp_path / "yulin.yaml"
    linli(
        ["playbook", "export", "--community", customised.community.code, "--output", str(exported)]
    )
    linli(["playbook", "import", str(exported), "--community", NEIGHBOUR])
    state = database_state()
    assert linli(["playbook", "import", str(exported), "--community", NEIGHBOUR]) == 0
    assert database_state() == state


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            lambda text: text.replace("每天早上召开十五分钟碰头会", "每周开一次会"),
            "checksum does not match",
        ),
        (lambda text: text[: len(text) // 3], ""),  # cut short: bad YAML or bad checksum
        (
            lambda text: text.replace("format: linli-playbook", "format: other-app"),
            "not a Linli playbook",
        ),
        (
            lambda text: text.replace("schema_version: 1", "schema_version: 7"),
            "schema_version 7 is not supported",
        ),
        (lambda _text: FOREIGN.read_text(encoding="utf-8"), "not a Linli playbook"),
        (lambda _text: "\x00\x01 binary", ""),
    ],
)
def test_a_corrupt_or_foreign_file_is_refused_and_changes_nothing(
    customised, tmp_path, capsys, damage, reason
):
    exported = tmp_path / "yulin.yaml"
    linli(
        ["playbook", "export", "--community", customised.community.code, "--output", str(exported)]
    )
    # the neighbour already has a task force of its own, which must stay as it is
    books.do_adopt_playbook(
        actor=None, community=Place.objects.get(code=NEIGHBOUR), version=books.builtin().latest()
    )
    state = database_state()
    bad = tmp_path / "bad.yaml"
    bad.write_text(damage(exported.read_text(encoding="utf-8")), encoding="utf-8")
    assert linli(["playbook", "import", str(bad), "--community", NEIGHBOUR]) == 2
    err = capsys.readouterr().err
    assert "not imported, nothing changed" in err and str(bad) in err
    assert reason in err
    assert database_state() == state


def test_a_missing_file_or_unknown_community_exits_2(tmp_path, capsys, db):
    assert linli(["playbook", "import", str(tmp_path / "nope.yaml"), "--community", NEIGHBOUR]) == 2
    assert "no such file" in capsys.readouterr().err
    assert linli(["playbook", "export", "--community", "999", "--output", str(tmp_path / "x")]) == 2
    assert "no place with code 999" in capsys.readouterr().err
    assert (
        linli(["playbook", "export", "--community", NEIGHBOUR, "--output", str(tmp_path / "x")])
        == 2
    )
    assert "has no task force yet" in capsys.readouterr().err


def test_the_import_page_names_the_problem_and_changes_nothing(
    customised, client, secretary, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    text = books.export_text(customised.community).replace("碰头会", "例会", 1)
    state = database_state()
    client.force_login(secretary)
    response = client.post(
        reverse("taskforce:import", args=[customised.community.code]),
        {"file": SimpleUploadedFile("p.yaml", text.encode())},
        follow=True,
    )
    body = response.content.decode()
    assert "p.yaml was not imported, nothing changed" in body
    assert "checksum does not match" in body
    assert database_state() == state


def test_the_refusal_is_in_chinese_on_a_chinese_page(customised, secretary, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(secretary)
    before = structure(customised.community)
    response = client.post(
        reverse("taskforce:import", args=[customised.community.code]),
        {"file": SimpleUploadedFile("名单.yaml", "title: 民政台账\ncolumns: []\n".encode())},
        follow=True,
    )
    body = response.content.decode()
    assert "名单.yaml 未导入，未做任何改动：这不是邻里工具包文件" in body
    assert structure(customised.community) == before
