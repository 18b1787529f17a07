"""The playbook file: a round trip keeps everything; every kind of bad file is named."""

from pathlib import Path

import pytest
import yaml

from linli.domain.playbooks import fileformat
from linli.domain.playbooks.content import ContentError, parse_content

BUILTIN = Path("src/linli/taskforce/playbooks/sealed-community-epidemic.yaml")


@pytest.fixture
def content():
    return parse_content(yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))["playbook"])


def test_the_built_in_playbook_has_the_standard_seven_groups_each_complete(content):
    from linli.domain.playbooks.content import STANDARD_KINDS

    assert tuple(g.kind for g in content.groups) == STANDARD_KINDS
    for group in content.groups:
        assert group.name and group.name_en
        assert group.positions and group.duties and group.standards and group.steps
        assert group.templates
        assert all(t.text_en for t in group.duties + group.standards + group.steps)


def test_round_trip_keeps_everything_including_a_file(content):
    group = content.groups[0].model_copy(
        update={
            "templates": [
                *content.groups[0].templates,
                content.groups[0]
                .templates[0]
                .model_copy(update={"file_name": "表.xlsx", "file_base64": "UEsDBAo="}),
            ]
        }
    )
    content = content.model_copy(update={"groups": [group, *content.groups[1:]]})
    text = fileformat.dump(content, {"community": "510107005002", "version": 3})
    loaded = fileformat.load(text.encode("utf-8"))
    assert loaded.content == content
    assert loaded.source["version"] == 3
    assert loaded.content.groups[0].templates[-1].file_bytes() == b"PK\x03\x04\n"


def codes(error):
    return [p.code for p in error.value.problems]


def test_a_changed_duty_breaks_the_checksum(content):
    text = fileformat.dump(content, {"community": "x"})
    tampered = text.replace("每天早上召开十五分钟碰头会", "每周召开一次会", 1)
    assert tampered != text
    with pytest.raises(fileformat.PlaybookFileError) as error:
        fileformat.load(tampered)
    assert codes(error) == ["checksum"]
    assert "changed or damaged" in str(error.value)


def test_truncated_file_is_named_with_its_line(content):
    text = fileformat.dump(content, {"community": "x"})
    with pytest.raises(fileformat.PlaybookFileError) as error:
        fileformat.load(text[: len(text) // 2] + "\n  - {broken: [")
    assert codes(error) in (["yaml"], ["checksum"])


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\xff\xfe\x00garbage", "encoding"),
        (b"just a line of text", "not_mapping"),
        (b"format: some-other-tool\nitems: []\n", "foreign"),
        (b"name: a roster\n", "foreign"),
        (b"format: linli-playbook\nschema_version: 9\n", "schema_version"),
        (b"format: linli-playbook\nschema_version: 1\nplaybook: {}\n", "no_checksum"),
        (b"key: [unclosed\n", "yaml"),
    ],
)
def test_bad_files_are_refused_with_the_reason(raw, code):
    with pytest.raises(fileformat.PlaybookFileError) as error:
        fileformat.load(raw)
    assert codes(error) == [code]


def test_structure_problems_name_their_path():
    playbook = {
        "title": "x",
        "groups": [{"kind": "logistics", "name": "后勤", "duties": [{"txt": "a"}]}],
    }
    source = {"community": "x"}
    text = yaml.safe_dump(
        {
            "format": "linli-playbook",
            "schema_version": 1,
            "checksum": fileformat.checksum_of(source, playbook),
            "source": source,
            "playbook": playbook,
        },
        allow_unicode=True,
    )
    with pytest.raises(fileformat.PlaybookFileError) as error:
        fileformat.load(text)
    assert "playbook.groups[0].duties[0].text" in str(error.value)


def test_two_groups_of_the_same_kind_are_refused(content):
    data = content.as_dict()
    data["groups"].append(data["groups"][0])
    with pytest.raises(ContentError) as error:
        parse_content(data)
    assert "appears twice" in str(error.value)
