"""The one way Linli reads YAML a person hands it (playbooks, department-form templates).

YAML's anchors and aliases (``&a`` … ``*a``) let 500 bytes expand to billions of values
("billion laughs"): a playbook ran for more than a minute, a form template ran out of memory.
Linli's files never need them, so :func:`load` refuses the first anchor or alias, and any
file of more than :data:`MAX_NODES` values or :data:`MAX_DEPTH` levels of nesting, while
the text is still being scanned — before anything is built, checksummed or validated.
Data comes back as JSON-like values (a date stays the text it was written as).
:func:`dump` never writes an anchor, so what Linli exports it can read again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_BYTES = 20 * 1024 * 1024  # a playbook carries its template files (2 MB each, base64)
MAX_NODES = 100_000  # the built-in playbook has 534 values, the largest built-in form 314
MAX_DEPTH = 32  # the built-in playbook nests 6 levels deep

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def gettext_noop(text: str) -> str:
    return text


MESSAGES: dict[str, str] = {
    "too_big": gettext_noop("the file is larger than %(limit)s MB (limit on a YAML file)"),
    "alias": gettext_noop("anchors and aliases (& and *) are not accepted: write the value out"),
    "nodes": gettext_noop("more than %(limit)s values (limit on the values in a YAML file)"),
    "depth": gettext_noop("nested more than %(limit)s levels deep (limit on nesting in YAML)"),
    "syntax": gettext_noop("not valid YAML: %(problem)s"),
}


@dataclass
class YamlRefused(ValueError):
    """The text is not YAML Linli reads; ``line`` is 1-based (None when unknown)."""

    code: str
    params: dict[str, Any]
    line: int | None = None

    @property
    def reason(self) -> str:
        return MESSAGES[self.code] % self.params

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe values, JSON-like: timestamps and binary stay text, a set becomes a list."""

    def construct_yaml_set(self, node):  # type: ignore[no-untyped-def]
        data: list[Any] = []
        yield data
        data.extend(self.construct_mapping(node))


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:binary", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:set", _Constructor.construct_yaml_set)


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def check(text: str, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> None:
    """Scan the text's events only (nothing is built): refuse the first anchor or alias,
    and stop at the first value beyond ``max_nodes`` or level beyond ``max_depth``."""
    if len(text) > MAX_BYTES:
        raise YamlRefused("too_big", {"limit": MAX_BYTES // 1024 // 1024})
    nodes = depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlRefused("alias", {}, _line(event))
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                nodes += 1
                if nodes > max_nodes:
                    raise YamlRefused("nodes", {"limit": max_nodes}, _line(event))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise YamlRefused("depth", {"limit": max_depth}, _line(event))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        raise _syntax(error) from None


def _syntax(error: yaml.YAMLError) -> YamlRefused:
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return YamlRefused("syntax", {"problem": problem}, line)


def compose(text: str) -> tuple[Any, yaml.Node | None]:
    """The checked document's data and its node tree (for the line of each key)."""
    check(text)
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return None, None
        return _Constructor().construct_document(node), node
    except yaml.YAMLError as error:
        raise _syntax(error) from None


def load(text: str) -> Any:
    """The checked document's data; raises :class:`YamlRefused` naming the line and limit."""
    return compose(text)[0]


class _NoAliases(_Dumper):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any, **options: Any) -> str:
    """YAML text for plain data, without anchors (a value used twice is written twice)."""
    return yaml.dump(data, Dumper=_NoAliases, **options)
