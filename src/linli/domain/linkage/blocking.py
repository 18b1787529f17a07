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

from .codes import Codes, combine, distinct

MAX_BLOCK = 64


def _keys(c: Codes) -> dict[str, np.ndarray]:
    return {
        "id": c["id_full"],
        "id_tail": c["id_tail"],
        "id_area_day": c["id_area_day"],
        "id_birth_surname": combine(c["id_birth"], c["head"]),
        "name_year": combine(c["pinyin"], c["year"]),
        "phone": c["phone_ok"],
        "birth_surname": combine(c["birth"], c["head"]),
        "birth_given": combine(c["birth"], c["tail"]),
        "birth_numbers": combine(c["birth"], c["place"]),
        "name_numbers": combine(c["pinyin"], c["place"]),
        "surname_numbers": combine(c["head"], c["place_multi"]),
        "surname_compound_birth": combine(c["head"], c["place_words"], c["year"]),
    }


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
    c: Codes, *, max_block: int = MAX_BLOCK, training: tuple[str, ...] = ()
) -> Candidates:
    """Every pair of records sharing a blocking key, each pair once (i < j)."""
    size = len(c.normal.name)
    codes, per_key, skipped, by_key = [], {}, {}, {}
    for key, values in _keys(c).items():
        pairs, skip = _pairs_within(values, max_block)
        codes.append(pairs)
        per_key[key], skipped[key] = len(pairs), skip
        if key in training:
            by_key[key] = pairs
    unique = distinct(np.concatenate(codes)) if codes else np.empty(0, np.int64)
    rows = {key: np.searchsorted(unique, distinct(pairs)) for key, pairs in by_key.items()}
    return Candidates(unique // size, unique % size, per_key, skipped, rows)
