"""Compounds and buildings a register names that are not places yet: new, or a near-miss
of an existing one (``芳草园`` — did you mean ``芳草苑``?), by edit distance and by pinyin.

Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from linli.domain.pinyin import search_key

MAX_EDITS = 1  # Chinese compound names are short: one character off is a likely typo


@dataclass(frozen=True)
class NewPlace:
    """A place the sheet names that does not exist: ``compound`` (and ``building`` for a
    building), the rows naming it, and the existing names it is close to."""

    compound: str
    building: str = ""
    rows: tuple[int, ...] = ()
    near: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.compound} {self.building}".strip()

    @property
    def key(self) -> str:
        """What the person ticks to confirm it (and the command line passes)."""
        return f"{self.compound}/{self.building}" if self.building else self.compound


def _sound(name: str) -> str:
    return search_key(name).split(" ")[0]


def near_misses(name: str, existing: list[str]) -> tuple[str, ...]:
    """Existing names within one edit of ``name``, or read the same in pinyin."""
    sound = _sound(name)
    found = []
    for other in existing:
        if other == name:
            continue
        if Levenshtein.distance(name, other) <= MAX_EDITS or (sound and _sound(other) == sound):
            found.append(other)
    return tuple(found)
