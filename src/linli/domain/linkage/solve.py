"""``link(records)``: candidate pairs, their scores and evidence, and people (clusters)."""

from __future__ import annotations

import time

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .blocking import MAX_BLOCK, candidates
from .compare import FEATURES, LEVELS, Comparer, id_edit_kind
from .model import Evidence, Linkage, Pair, Records
from .normalise import id_numbers, normalise
from .score import SESSIONS, estimate, score

THRESHOLD = 0.5  # match probability from which two records are taken as one person
REVIEW = 0.05  # pairs from here up are worth a reviewer's look
RANDOM_PAIRS = 500_000
MIN_GROUP = 50


def _population_pairs(group: np.ndarray) -> int:
    """How many pairs :func:`_random_pairs` draws from (same surname; loners with anyone)."""
    n = len(group)
    codes, sizes = np.unique(group, return_counts=True)
    shared = (codes >= 0) & (sizes >= MIN_GROUP)
    loners = n - int(sizes[shared].sum())
    return int((sizes[shared] * (sizes[shared] - 1) // 2).sum()) + loners * max(n - 1, 0) // 2


def _random_pairs(group: np.ndarray, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of different records within the same group (surname).

    Most candidate pairs share a surname (family members share surname and address),
    so chance agreement is measured among people with the same surname: this is
    what keeps a brother's similar name and shared address from adding up to a match.
    Records without a surname, or with a surname fewer than ``MIN_GROUP`` share (where
    a sample would be mostly the duplicates themselves), pair with anyone.
    """
    rng = np.random.default_rng(seed)
    n = len(group)
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.searchsorted(sorted_group, sorted_group, side="left")
    ends = np.searchsorted(sorted_group, sorted_group, side="right")
    i = rng.integers(0, n, count)
    at = np.argsort(order)[i]  # position of i in the sorted order
    lo, hi = starts[at], ends[at]
    anyone = (sorted_group[at] < 0) | (hi - lo < MIN_GROUP)
    lo = np.where(anyone, 0, lo)
    hi = np.where(anyone, n, hi)
    j = order[lo + (rng.random(count) * (hi - lo)).astype(np.int64)]
    keep = i != j
    return i[keep], j[keep]


def clusters(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Person number of each of ``n`` records, joining every linked pair transitively."""
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def link(
    records: Records,
    *,
    threshold: float = THRESHOLD,
    max_block: int = MAX_BLOCK,
    seed: int = 0,
) -> Linkage:
    """Find records of the same person, within and across sources.

    Deterministic for a seed. Pairs are proposed by blocking (several keys, none
    needing an ID number), compared field by field, weighted by Fellegi–Sunter
    with m/u estimated from the data itself, and joined into people when their
    match probability reaches ``threshold``.
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    n = len(records)
    normal = normalise(records)
    lap("normalise")
    found = candidates(normal, max_block=max_block, training=tuple(SESSIONS))
    lap("block")
    comparer = Comparer(normal)
    levels = comparer.levels(found.i, found.j)
    lap("compare")
    ri, rj = _random_pairs(comparer.code["head"], RANDOM_PAIRS, seed) if n > 1 else ([], [])
    random_levels = comparer.levels(np.asarray(ri, np.int64), np.asarray(rj, np.int64))
    if len(levels):
        model = estimate(
            levels,
            random_levels,
            found.training,
            population_pairs=_population_pairs(comparer.code["head"]),
        )
        weight, probability = score(model, levels)
    else:
        model, weight, probability = None, np.empty(0), np.empty(0)
    lap("score")
    keep = probability >= threshold
    cluster = clusters(n, found.i[keep], found.j[keep]) if n else np.empty(0, np.int64)
    lap("cluster")
    return Linkage(
        records=records,
        i=found.i,
        j=found.j,
        levels=levels,
        weight=weight,
        probability=probability,
        cluster=cluster,
        threshold=threshold,
        model=model,
        stats={
            "records": n,
            "candidates": len(found.i),
            "per_key": found.per_key,
            "skipped": found.skipped,
            "matched_pairs": int(keep.sum()),
            "people": int(cluster.max()) + 1 if n else 0,
            "seconds": timings,
        },
    )


def evidence(linkage: Linkage, k: int) -> tuple[Evidence, ...]:
    """What each field says about candidate pair ``k``, with its weight in bits."""
    model = linkage.model
    weights = model.level_weights() if model else None
    out = []
    for column, feature in enumerate(FEATURES):
        level = int(linkage.levels[k, column])
        if level < 0:
            out.append(Evidence(feature, f"{feature}.missing", 0.0))
            continue
        code = LEVELS[feature][level]
        if feature == "id" and code == "one_edit":
            a, b = id_numbers(
                [
                    linkage.records.id_number[int(linkage.i[k])],
                    linkage.records.id_number[int(linkage.j[k])],
                ]
            ).tolist()
            code = id_edit_kind(a, b)
        weight = float(weights[column][level]) if weights is not None else 0.0
        out.append(Evidence(feature, f"{feature}.{code}", round(weight, 2)))
    return tuple(out)


def review_pairs(linkage: Linkage, *, min_probability: float = REVIEW) -> list[Pair]:
    """Candidate pairs worth a reviewer's look, most likely first, with their evidence."""
    keys = linkage.records.key
    chosen = np.flatnonzero(linkage.probability >= min_probability)
    chosen = chosen[np.argsort(-linkage.probability[chosen], kind="stable")]
    return [
        Pair(
            a=keys[int(linkage.i[k])],
            b=keys[int(linkage.j[k])],
            probability=round(float(linkage.probability[k]), 4),
            weight=round(float(linkage.weight[k]), 2),
            evidence=evidence(linkage, int(k)),
        )
        for k in chosen.tolist()
    ]
