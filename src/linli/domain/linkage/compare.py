"""Comparison levels of candidate pairs, field by field, vectorised.

Each field gives a small number of agreement levels (``-1`` when either side is
missing, which then counts neither for nor against). Distances come from
rapidfuzz, run over whole columns of pairs at once.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import distance, fuzz, process

from .normalise import Normal

# field → level names, index = level (0 = disagree); -1 is "missing"
LEVELS: dict[str, tuple[str, ...]] = {
    "id": ("different", "one_edit", "same"),
    "name": ("different", "one_part", "similar", "same_pinyin", "same"),
    "birth": ("different", "close", "same"),
    "sex": ("different", "same"),
    "phone": ("different", "last_8", "same"),
    "address": ("different", "some", "similar", "same"),
}
FEATURES = tuple(LEVELS)


def _codes(values: np.ndarray) -> np.ndarray:
    """Integer code per value (equal strings, equal codes); ``""`` → -1."""
    seen: dict[str, int] = {"": -1}
    return np.fromiter(
        (seen.setdefault(v, len(seen) - 1) for v in values.tolist()), np.int64, len(values)
    )


def _distance(values: np.ndarray, i: np.ndarray, j: np.ndarray, scorer) -> np.ndarray:
    if len(i) == 0:
        return np.empty(0)
    return process.cpdist(values[i], values[j], scorer=scorer, workers=-1)


class Comparer:
    """Holds per-record codes so many pair batches compare quickly."""

    def __init__(self, normal: Normal) -> None:
        self.n = normal
        self.length = np.fromiter(
            (len(v) for v in normal.name.tolist()), np.int64, len(normal.name)
        )
        self.code = {
            "id": _codes(normal.id_number),
            "name": _codes(normal.name),
            "pinyin": _codes(normal.pinyin),
            "head": _codes(normal.head),
            "tail": _codes(normal.tail),
            "birth": _codes(normal.birth),
            "sex": _codes(normal.sex),
            "phone": _codes(normal.phone),
            "phone8": _codes(np.array([p[-8:] for p in normal.phone.tolist()], dtype=object)),
            "address": _codes(normal.address),
            "place": _codes(normal.place),
        }

    def levels(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """(pairs, features) int8 matrix of levels, columns in :data:`FEATURES` order."""
        out = np.zeros((len(i), len(FEATURES)), dtype=np.int8)
        for column, feature in enumerate(FEATURES):
            out[:, column] = getattr(self, f"_{feature}")(i, j)
        return out

    def _base(self, key: str, i: np.ndarray, j: np.ndarray, top: int):
        a, b = self.code[key][i], self.code[key][j]
        level = np.where(a == b, top, 0).astype(np.int8)
        missing = (a < 0) | (b < 0)
        level[missing] = -1
        return level, np.flatnonzero(level == 0)

    def _id(self, i, j):
        level, todo = self._base("id", i, j, 2)
        near = _distance(self.n.id_number, i[todo], j[todo], distance.OSA.distance) <= 1
        level[todo[near]] = 1
        return level

    def _name(self, i, j):
        level, todo = self._base("name", i, j, 4)
        pinyin = self.code["pinyin"][i[todo]] == self.code["pinyin"][j[todo]]
        level[todo[pinyin]] = 3
        rest = todo[~pinyin]
        # One character off in a name of three or more (a two-character name that
        # differs in one is another given name: siblings, not slips).
        long = np.maximum(self.length[i[rest]], self.length[j[rest]]) >= 3
        close = long & (_distance(self.n.name, i[rest], j[rest], distance.OSA.distance) <= 1)
        close |= (
            _distance(self.n.pinyin, i[rest], j[rest], distance.Indel.normalized_similarity) >= 0.8
        )
        level[rest[close]] = 2
        rest = rest[~close]
        # The same surname or the same given name, the other part different.
        head = self.code["head"][i[rest]] == self.code["head"][j[rest]]
        tail = (self.code["tail"][i[rest]] == self.code["tail"][j[rest]]) & (
            self.code["tail"][i[rest]] >= 0
        )
        level[rest[head | tail]] = 1
        return level

    def _birth(self, i, j):
        level, todo = self._base("birth", i, j, 2)
        births = self.n.birth
        close = _distance(births, i[todo], j[todo], distance.OSA.distance) <= 1
        swapped = np.array(
            [
                a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]
                for a, b in zip(births[i[todo]].tolist(), births[j[todo]].tolist(), strict=True)
            ],
            dtype=bool,
        )
        level[todo[close | swapped]] = 1
        return level

    def _sex(self, i, j):
        return self._base("sex", i, j, 1)[0]

    def _phone(self, i, j):
        level, todo = self._base("phone", i, j, 2)
        last8 = self.code["phone8"][i[todo]] == self.code["phone8"][j[todo]]
        level[todo[last8]] = 1
        return level

    def _address(self, i, j):
        level, todo = self._base("address", i, j, 3)
        a, b = self.code["place"][i[todo]], self.code["place"][j[todo]]
        level[todo[(a == b) & (a >= 0)]] = 3
        rest = todo[level[todo] == 0]
        # Words in another order ("23 gundulu place" / "gundulu place 23") count.
        similarity = _distance(self.n.address, i[rest], j[rest], fuzz.token_sort_ratio)
        level[rest[similarity >= 75]] = 2
        level[rest[(similarity >= 55) & (similarity < 75)]] = 1
        return level


def id_edit_kind(a: str, b: str) -> str:
    """Which slip turns one ID number into the other: one_digit, swapped_digits, missing_digit."""
    if len(a) != len(b):
        return "missing_digit"
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]:
        return "swapped_digits"
    return "one_digit"
