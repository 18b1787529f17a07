"""The single file a playbook travels in between deployments (YAML, UTF-8).

    format: linli-playbook
    schema_version: 1
    checksum: sha256:<hex of the canonical JSON of {source, playbook}>
    source: {community, community_name, version, adapted_from, exported_at}
    playbook: <content>

Reading checks, in order: YAML syntax, that it is a Linli playbook at all, the schema
version, the checksum (a file edited or damaged after export), then the content's
structure. Each failure raises :class:`PlaybookFileError` naming what is wrong and where.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from linli.domain import safeyaml

from .content import Content, ContentError, parse_content

FORMAT = "linli-playbook"
SCHEMA_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024


def gettext_noop(text: str) -> str:
    return text


# Messages by code; the app translates them (makemessages finds them through gettext_noop).
MESSAGES: dict[str, str] = {
    "too_big": gettext_noop("the file is larger than %(limit)s MB"),
    "encoding": gettext_noop("the file is not UTF-8 text (byte %(position)s)"),
    "yaml": gettext_noop("the file is not valid YAML or JSON (line %(line)s: %(problem)s)"),
    "not_mapping": gettext_noop("the file is not a Linli playbook: expected a mapping at the top"),
    "foreign": gettext_noop(
        "the file is not a Linli playbook: “format” is %(found)s, expected linli-playbook"
    ),
    "schema_version": gettext_noop(
        "schema_version %(found)s is not supported (this Linli reads version %(supported)s)"
    ),
    "no_checksum": gettext_noop("the file has no checksum"),
    "checksum": gettext_noop(
        "the checksum does not match: the file was changed or damaged after it was exported"
    ),
    "source": gettext_noop("“source” must be a mapping"),
    "content": gettext_noop("%(path)s: %(problem)s"),
    "yaml_alias": gettext_noop(
        "line %(line)s: anchors and aliases (& and *) are not accepted: write the value out"
    ),
    "yaml_nodes": gettext_noop(
        "line %(line)s: more than %(limit)s values (limit on the values in a YAML file)"
    ),
    "yaml_depth": gettext_noop(
        "line %(line)s: nested more than %(limit)s levels deep (limit on nesting in YAML)"
    ),
    "yaml_too_big": gettext_noop("the file is larger than %(limit)s MB (limit on a YAML file)"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return MESSAGES[self.code] % self.params


class PlaybookFileError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class PlaybookFile:
    content: Content
    source: dict[str, Any]
    checksum: str


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def checksum_of(source: dict[str, Any], playbook: dict[str, Any]) -> str:
    return (
        "sha256:" + hashlib.sha256(canonical({"source": source, "playbook": playbook})).hexdigest()
    )


def dump(content: Content, source: dict[str, Any]) -> str:
    """The file text for ``content`` with its provenance ``source`` (plain JSON-able values)."""
    playbook = content.as_dict()
    document = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "checksum": checksum_of(source, playbook),
        "source": source,
        "playbook": playbook,
    }
    return safeyaml.dump(document, allow_unicode=True, sort_keys=False, width=100)


def load(raw: bytes | str) -> PlaybookFile:
    """Parse and check a playbook file; raises PlaybookFileError and never half-returns."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise PlaybookFileError([Problem("too_big", {"limit": MAX_FILE_BYTES // 1024 // 1024})])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PlaybookFileError([Problem("encoding", {"position": error.start})]) from None
    else:
        text = raw
    try:
        # Anchors and aliases are refused while the text is scanned, before the checksum
        # (computed over the expanded data) or anything else sees it.
        document = safeyaml.load(text)
    except safeyaml.YamlRefused as error:
        line = error.line or "?"
        if error.code == "syntax":
            problem = Problem("yaml", {"line": line, "problem": error.params["problem"]})
        else:
            problem = Problem(f"yaml_{error.code}", {**error.params, "line": line})
        raise PlaybookFileError([problem]) from None
    if not isinstance(document, dict):
        raise PlaybookFileError([Problem("not_mapping")])
    if document.get("format") != FORMAT:
        found = document.get("format")
        raise PlaybookFileError(
            [Problem("foreign", {"found": "missing" if found is None else repr(found)})]
        )
    if document.get("schema_version") != SCHEMA_VERSION:
        raise PlaybookFileError(
            [
                Problem(
                    "schema_version",
                    {"found": document.get("schema_version"), "supported": SCHEMA_VERSION},
                )
            ]
        )
    source = document.get("source") or {}
    if not isinstance(source, dict):
        raise PlaybookFileError([Problem("source")])
    checksum = document.get("checksum")
    if not checksum:
        raise PlaybookFileError([Problem("no_checksum")])
    if checksum != checksum_of(source, document.get("playbook")):
        raise PlaybookFileError([Problem("checksum")])
    try:
        content = parse_content(document.get("playbook"), prefix="playbook")
    except ContentError as error:
        raise PlaybookFileError(
            [Problem("content", {"path": p, "problem": m}) for p, m in error.problems]
        ) from None
    return PlaybookFile(content=content, source=source, checksum=checksum)
