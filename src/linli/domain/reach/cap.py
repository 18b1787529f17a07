"""Warnings in the national format GB/T 35965 (CAP-like XML): who sent it, what, for which places.

Parsed with defusedxml: a DTD, entity or external reference is refused, not expanded.
Places are the area's ``geocode`` values (administrative division codes) — the only part a
roll-call needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_BYTES = 256 * 1024


class WarningError(ValueError):
    """Not a warning message Linli can act on; the message says what and where."""


@dataclass(frozen=True)
class Warning:
    identifier: str
    sender: str
    sent: str
    status: str
    msg_type: str
    event: str
    severity: str
    headline: str
    codes: tuple[str, ...]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(node, name: str):
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _text(node, name: str) -> str:
    child = _find(node, name) if node is not None else None
    return (child.text or "").strip() if child is not None else ""


def parse_warning(body: bytes) -> Warning:
    if len(body) > MAX_BYTES:
        raise WarningError(f"the message is larger than {MAX_BYTES} bytes")
    try:
        root = ElementTree.fromstring(body, forbid_dtd=True)
    except DefusedXmlException as error:
        raise WarningError(f"refused XML construct: {type(error).__name__}") from None
    except ElementTree.ParseError as error:
        raise WarningError(f"not well-formed XML: {error}") from None
    if _local(root.tag) != "alert":
        raise WarningError(f"the root element is <{_local(root.tag)}>, not <alert>")
    identifier = _text(root, "identifier")
    if not identifier:
        raise WarningError("<identifier> is missing")
    info = _find(root, "info")
    if info is None:
        raise WarningError("<info> is missing")
    codes: list[str] = []
    for area in (c for c in info if _local(c.tag) == "area"):
        for geocode in (c for c in area if _local(c.tag) == "geocode"):
            value = _text(geocode, "value")
            if value:
                codes.append(value)
    if not codes:
        raise WarningError("no <area><geocode><value> names a place")
    return Warning(
        identifier=identifier[:100],
        sender=_text(root, "sender")[:100],
        sent=_text(root, "sent")[:40],
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        event=_text(info, "event")[:100],
        severity=_text(info, "severity")[:20],
        headline=_text(info, "headline")[:200],
        codes=tuple(dict.fromkeys(codes)),
    )
