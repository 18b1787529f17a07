"""Candidate pairs: only records that share at least one blocking key are compared.

Each key is built so that one kind of error leaves it intact: the full ID number;
three pieces of the ID number that together survive any single wrong, missing or
swapped digit (the tail from the year on; area + day + sequence; area + birth date
+ surname); name pinyin + birth year (homophones and traditional forms meet);
phone; birth date + surname or given name; birth date, name or surname + the address's
place (compound words + numbers). Groups larger than ``max_block`` are skipped: a key shared by
that many records says little about any two of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .normalise import Normal

MAX_BLOCK = 64


def _keys(n: Normal) -> dict[str, list[str]]:
    ids = n.id_number.tolist()
    birth = n.birth.tolist()
    head = n.head.tolist()
    pinyin = n.pinyin.tolist()
    numbers = n.place.tolist()
    surname_place = [p.split("|")[0] for p in numbers]

    def when(ok: bool, value: str) -> str:
        return value if ok else ""

    return {
        "id": [when(len(s) >= 15, s) for s in ids],
        "id_tail": [when(len(s) >= 15, s[-10:]) for s in ids],
        "id_area_day": [when(len(s) >= 15, s[:6] + s[-6:]) for s in ids],
        "id_birth_surname": [
            when(len(s) >= 15 and bool(h), s[:14] + "|" + h) for s, h in zip(ids, head, strict=True)
        ],
        "name_year": [
            when(bool(p) and bool(b), p + "|" + b[:4]) for p, b in zip(pinyin, birth, strict=True)
        ],
        "phone": [when(len(s) >= 7, s) for s in n.phone.tolist()],
        "birth_surname": [
            when(bool(b) and bool(h), b + "|" + h) for b, h in zip(birth, head, strict=True)
        ],
        "birth_given": [
            when(bool(b) and bool(t), b + "|" + t)
            for b, t in zip(birth, n.tail.tolist(), strict=True)
        ],
        "birth_numbers": [
            when(bool(b) and bool(a), b + "|" + a) for b, a in zip(birth, numbers, strict=True)
        ],
        "name_numbers": [
            when(bool(p) and bool(a), p + "|" + a) for p, a in zip(pinyin, numbers, strict=True)
        ],
        "surname_numbers": [
            when(bool(h) and "-" in a, h + "|" + a) for h, a in zip(head, numbers, strict=True)
        ],
        "surname_compound_birth": [
            when(bool(h) and bool(p) and bool(b), h + "|" + p + "|" + b[:4])
            for h, p, b in zip(head, surname_place, birth, strict=True)
        ],
    }


def _codes(keys: list[str]) -> np.ndarray:
    seen: dict[str, int] = {"": -1}
    return np.fromiter(
        (seen.setdefault(k, len(seen) - 1) for k in keys), dtype=np.int64, count=len(keys)
    )


def _pairs_within(codes: np.ndarray, max_block: int) -> tuple[np.ndarray, int]:
    """Pair codes ``i * N + j`` (i < j) of records sharing a code; and records skipped."""
    n = len(codes)
    idx = np.flatnonzero(codes >= 0)
    order = np.argsort(codes[idx], kind="stable")
    idx, sorted_codes = idx[order], codes[idx][order]
    if len(idx) == 0:
        return np.empty(0, np.int64), 0
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(idx)])
    out, skipped = [], int(sizes[sizes > max_block].sum())
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_block)]).tolist():
        members = idx[starts[sizes == size][:, None] + np.arange(size)[None, :]]
        a, b = np.triu_indices(size, 1)
        i, j = members[:, a].ravel(), members[:, b].ravel()
        out.append(np.minimum(i, j) * n + np.maximum(i, j))
    return (np.concatenate(out) if out else np.empty(0, np.int64)), skipped


@dataclass(frozen=True)
class Candidates:
    i: np.ndarray
    j: np.ndarray
    per_key: dict[str, int]  # pairs each key proposed
    skipped: dict[str, int]  # records in groups over the size limit
    training: dict[str, np.ndarray]  # for the training keys: which candidates they proposed


def candidates(
    n: Normal, *, max_block: int = MAX_BLOCK, training: tuple[str, ...] = ()
) -> Candidates:
    """Every pair of records sharing a blocking key, each pair once (i < j)."""
    size = len(n.name)
    codes, per_key, skipped, by_key = [], {}, {}, {}
    for key, values in _keys(n).items():
        pairs, skip = _pairs_within(_codes(values), max_block)
        codes.append(pairs)
        per_key[key], skipped[key] = len(pairs), skip
        if key in training:
            by_key[key] = pairs
    unique = np.unique(np.concatenate(codes)) if codes else np.empty(0, np.int64)
    rows = {key: np.searchsorted(unique, np.unique(pairs)) for key, pairs in by_key.items()}
    return Candidates(unique // size, unique % size, per_key, skipped, rows)
