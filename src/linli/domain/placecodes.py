"""What makes a place code sound: the rule the scope's prefix test relies on.

Scope is a prefix test on place codes (:mod:`linli.common.scope`), so a code decides who
reaches a place. A code is sound when it extends its parent's code, has the length of its
level, and its level lies below the parent's: then the places whose codes start with a
place's code are exactly the places below it, and nothing else. Pure rules, no Django.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

LEVELS = ("city", "district", "street", "community", "grid", "compound", "building")

# 5101 → 510107 → 510107005 → 510107005002 (NBS) → +2 grid → +2 compound → +3 building
CODE_LENGTH = {
    "city": 4,
    "district": 6,
    "street": 9,
    "community": 12,
    "grid": 14,
    "compound": 16,
    "building": 19,
}


class CodeProblem(enum.Enum):
    UNKNOWN_LEVEL = "unknown_level"
    NOT_DIGITS = "not_digits"
    WRONG_LENGTH = "wrong_length"
    CITY_HAS_PARENT = "city_has_parent"
    NO_PARENT = "no_parent"
    LEVEL_NOT_BELOW_PARENT = "level_not_below_parent"
    DOES_NOT_EXTEND_PARENT = "does_not_extend_parent"


@dataclass(frozen=True)
class Spot:
    """A place's code and level; ``parent`` is the parent's spot (None for the city)."""

    code: str
    level: str
    parent: Spot | None


def code_problems(spot: Spot) -> list[CodeProblem]:
    """Every way ``spot`` breaks the code rule (empty when the code is sound)."""
    if spot.level not in CODE_LENGTH:
        return [CodeProblem.UNKNOWN_LEVEL]
    problems = []
    if not spot.code.isdigit():
        problems.append(CodeProblem.NOT_DIGITS)
    if len(spot.code) != CODE_LENGTH[spot.level]:
        problems.append(CodeProblem.WRONG_LENGTH)
    parent = spot.parent
    if spot.level == "city":
        if parent is not None:
            problems.append(CodeProblem.CITY_HAS_PARENT)
        return problems
    if parent is None:
        return [*problems, CodeProblem.NO_PARENT]
    if parent.level not in CODE_LENGTH or LEVELS.index(parent.level) >= LEVELS.index(spot.level):
        problems.append(CodeProblem.LEVEL_NOT_BELOW_PARENT)
    if not spot.code.startswith(parent.code) or spot.code == parent.code:
        problems.append(CodeProblem.DOES_NOT_EXTEND_PARENT)
    return problems


def recoded(code: str, *, old_prefix: str, new_prefix: str) -> str:
    """The code of a place below a recoded one: the old prefix replaced by the new."""
    if not code.startswith(old_prefix):
        raise ValueError(f"{code} does not lie below {old_prefix}")
    return new_prefix + code[len(old_prefix) :]
