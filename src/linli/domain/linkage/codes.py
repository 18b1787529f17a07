"""Integer codes for normalised columns (equal text, equal code; empty → -1), computed
once and shared by blocking and comparison, so keys are combined as integers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .normalise import Normal


def factorize(values: list[str]) -> np.ndarray:
    seen: dict[str, int] = {"": -1}
    return np.fromiter((seen.setdefault(v, len(seen) - 1) for v in values), np.int64, len(values))


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
    "phone_ok": lambda n: [p if len(p) >= 7 else "" for p in n.phone.tolist()],
    "place_words": lambda n: [p.split("|", 1)[0] for p in n.place.tolist()],
    "place_multi": lambda n: [p if "-" in p else "" for p in n.place.tolist()],
}


class Codes:
    """Lazily computed codes of the normal columns and of :data:`DERIVED` ones."""

    def __init__(self, normal: Normal) -> None:
        self.normal = normal
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            if name in DERIVED:
                values = DERIVED[name](self.normal)
            else:
                values = getattr(self.normal, name).tolist()
            self._cache[name] = factorize(values)
        return self._cache[name]
