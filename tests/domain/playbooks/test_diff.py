"""Diffs between playbook versions: an edited duty is one changed line with before and after."""

import yaml

from linli.domain.playbooks.content import parse_content
from linli.domain.playbooks.diff import diff
from tests.domain.playbooks.test_fileformat import BUILTIN


def builtin():
    return parse_content(yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))["playbook"])


def edited(content, kind, section, index, text):
    data = content.as_dict()
    group = next(g for g in data["groups"] if g["kind"] == kind)
    if index is None:
        group[section].append({"text": text})
    else:
        group[section][index] = {"text": text, "text_en": ""}
    return parse_content(data)


def test_same_content_has_no_changes():
    assert diff(builtin(), builtin()) == []


def test_a_changed_duty_shows_before_and_after():
    old = builtin()
    new = edited(old, "logistics", "duties", 1, "按申请和人数公平分配防护物资")
    (change,) = diff(old, new)
    assert (change.group, change.section, change.change) == ("logistics", "duties", "changed")
    assert change.old == "按申请公平分配防护物资"
    assert change.new == "按申请和人数公平分配防护物资"


def test_added_and_removed_lines_and_groups():
    old = builtin()
    new = edited(old, "patrol", "standards", None, "夜班不少于三人")
    data = new.as_dict()
    data["groups"] = [g for g in data["groups"] if g["kind"] != "analysis"]
    data["groups"].append({"kind": "psych", "name": "心理疏导组"})
    changes = diff(old, parse_content(data))
    summary = {(c.group, c.section, c.change) for c in changes}
    assert summary == {
        ("patrol", "standards", "added"),
        ("analysis", "group", "removed"),
        ("psych", "group", "added"),
    }
