"""Integer codes for normalised columns (equal text, equal code; empty → -1), computed
once and shared by blocking and comparison, so keys are combined as integers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .normalise import Normal


def factorize(values: list[str]) -> np.ndarray:
    """Dense codes: equal strings get equal codes, ``""`` gets -1.

    Built from Python's string hashes (64 bits: a collision among a million values
    has odds of about 1 in 10**7), so the codes' order varies between processes:
    use them for equality and grouping only, :func:`ordered` where order matters.
    """
    hashes = np.fromiter(map(hash, values), np.int64, len(values))
    _, codes = np.unique(hashes, return_inverse=True)
    codes = codes.astype(np.int64)
    codes[hashes == hash("")] = -1
    return codes


def ordered(values: list[str]) -> np.ndarray:
    """Codes numbered in order of first appearance (the same in every process)."""
    seen: dict[str, int] = {"": -1}
    return np.fromiter((seen.setdefault(v, len(seen) - 1) for v in values), np.int64, len(values))


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array (sort-based: fast for int64)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def combine(*columns: np.ndarray) -> np.ndarray:
    """One code per row for the tuple of codes; -1 where any part is missing."""
    out = np.zeros(len(columns[0]), dtype=np.int64)
    missing = np.zeros(len(columns[0]), dtype=bool)
    span = 1
    for column in columns:
        radix = int(column.max(initial=-1)) + 2
        span *= radix
        if span >= 2**62:
            raise OverflowError("blocking key too wide to pack into one integer")
        out = out * radix + (column + 1)
        missing |= column < 0
    out[missing] = -1
    return out


def _ids(n: Normal) -> list[str]:
    return [s if len(s) >= 15 else "" for s in n.id_number.tolist()]


# Derived columns: name → text per record.
DERIVED: dict[str, Callable[[Normal], list[str]]] = {
    "id_full": _ids,
    "id_tail": lambda n: [s[-10:] for s in _ids(n)],
    "id_area_day": lambda n: [s[:6] + s[-6:] if s else "" for s in _ids(n)],
    "id_birth": lambda n: [s[:14] for s in _ids(n)],
    "year": lambda n: [b[:4] for b in n.birth.tolist()],
    "phone8": lambda n: [p[-8:] for p in n.phone.tolist()],
    "birth_swapped": lambda n: [b[:4] + b[6:8] + b[4:6] if b else "" for b in n.birth.tolist()],
    "phone_ok": lambda n: [p if len(p) >= 7 else "" for p in n.phone.tolist()],
    "place_words": lambda n: [p.split("|", 1)[0] for p in n.place.tolist()],
    "place_multi": lambda n: [p if "-" in p else "" for p in n.place.tolist()],
}


class Codes:
    """Lazily computed codes of the normal columns and of :data:`DERIVED` ones."""

    def __init__(self, normal: Normal) -> None:
        self.normal = normal
        self._cache: dict[str, np.ndarray] = {}

    def values(self, name: str) -> list[str]:
        if name in DERIVED:
            return DERIVED[name](self.normal)
        return getattr(self.normal, name).tolist()

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = factorize(self.values(name))
        return self._cache[name]

    def hashes(self, name: str) -> np.ndarray:
        """Raw string hashes, comparable across columns (birth vs birth_swapped)."""
        key = f"#{name}"
        if key not in self._cache:
            self._cache[key] = np.fromiter(map(hash, self.values(name)), np.int64)
        return self._cache[key]

    def ordered(self, name: str) -> np.ndarray:
        key = f"@{name}"
        if key not in self._cache:
            self._cache[key] = ordered(self.values(name))
        return self._cache[key]
