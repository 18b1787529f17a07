"""What changed between two versions of a playbook, group by group and item by item.

Groups are matched by kind; positions, duties, standards, steps and templates are aligned
in order (difflib), so an edited duty shows as one *changed* line with its old and new text,
not as one removed and one added."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .content import Content, Group

SECTIONS = ("positions", "duties", "standards", "steps", "templates")


@dataclass(frozen=True)
class Change:
    group: str  # the group's kind
    group_name: str
    section: str  # "group", or one of SECTIONS
    change: str  # added | removed | changed
    old: str = ""
    new: str = ""


def _label(section: str, item) -> str:
    if section == "positions":
        return item.name
    if section == "templates":
        return item.title + (f" [{item.file_name}]" if item.file_name else "")
    return item.text


def _full(section: str, item) -> str:
    """What counts for equality (a template's body changes it too)."""
    if section == "templates":
        return "\x1f".join([item.title, item.title_en, item.body, item.file_name, item.file_base64])
    if section == "positions":
        return item.name + "\x1f" + item.name_en
    return item.text + "\x1f" + item.text_en


def _section_changes(old: Group, new: Group, section: str) -> list[Change]:
    a, b = getattr(old, section), getattr(new, section)
    ka, kb = [_full(section, x) for x in a], [_full(section, x) for x in b]
    out: list[Change] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=ka, b=kb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            out.append(
                Change(
                    new.kind,
                    new.name,
                    section,
                    "changed",
                    _label(section, a[i1 + k]),
                    _label(section, b[j1 + k]),
                )
            )
        for x in a[i1 + pairs : i2]:
            out.append(Change(new.kind, new.name, section, "removed", old=_label(section, x)))
        for x in b[j1 + pairs : j2]:
            out.append(Change(new.kind, new.name, section, "added", new=_label(section, x)))
    return out


def diff(old: Content, new: Content) -> list[Change]:
    """Every difference from ``old`` to ``new``; empty when they are the same."""
    before = {g.kind: g for g in old.groups}
    after = {g.kind: g for g in new.groups}
    changes: list[Change] = []
    for kind, group in before.items():
        if kind not in after:
            changes.append(Change(kind, group.name, "group", "removed", old=group.name))
    for kind, group in after.items():
        previous = before.get(kind)
        if previous is None:
            changes.append(Change(kind, group.name, "group", "added", new=group.name))
            continue
        if (previous.name, previous.name_en) != (group.name, group.name_en):
            changes.append(Change(kind, group.name, "group", "changed", previous.name, group.name))
        for section in SECTIONS:
            changes.extend(_section_changes(previous, group, section))
    return changes
