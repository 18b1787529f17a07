"""Split a one-cell address (住址) into compound, building, unit and room.

``甲花园3栋2单元1102室`` → (``甲花园``, ``3栋``, ``2单元``, ``1102``) when ``甲花园`` is a
known compound. Lists that keep the whole address in one column are common; the
compound must be one of the names given (from the register), the rest is read from
the usual markers (栋/幢/号楼, 单元, 室/号).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BUILDING = re.compile(r"^\s*(\d+)\s*(?:栋|幢|号楼|号院|座)")
_UNIT = re.compile(r"^\s*(\d+)\s*单元")
_ROOM = re.compile(r"^\s*(?:[-—]\s*)?(\d+)\s*(?:室|号|房)?\s*$")


@dataclass(frozen=True)
class SplitAddress:
    compound: str
    building: str = ""
    unit: str = ""
    room: str = ""


def split_address(address: str, compounds: list[str]) -> SplitAddress | None:
    """The parts of ``address`` if it starts with one of ``compounds`` (longest first)."""
    text = address.replace(" ", "")
    name = next((c for c in sorted(compounds, key=len, reverse=True) if text.startswith(c)), None)
    if name is None:
        return None
    rest = text[len(name) :]
    building = unit = room = ""
    if match := _BUILDING.match(rest):
        building, rest = f"{int(match.group(1))}栋", rest[match.end() :]
    if match := _UNIT.match(rest):
        unit, rest = f"{int(match.group(1))}单元", rest[match.end() :]
    if match := _ROOM.match(rest):
        room = match.group(1)
    return SplitAddress(name, building, unit, room)
