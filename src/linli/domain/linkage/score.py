"""Fellegi–Sunter weights: u from random record pairs, m by EM in training blocks.

``u`` (how often two different people agree at a level by chance) is counted on
random pairs of records, which are almost all non-matches. ``m`` (how often the
same person agrees) is estimated by expectation–maximisation, as Splink does it:
once on the pairs proposed by each training key, leaving out the fields that key
agrees on by construction (pairs blocked on the ID number say nothing about how
often a person's ID number agrees, nor their birth date, which it contains). Each
field's m is the mean over the sessions that estimated it. Finally the share of
matches among all candidates is fitted with m and u fixed, and turned into the
prior of a match among all the pairs u was measured on. A pair's weight is the sum
of log2(m/u) over its present fields plus those prior odds; its probability is the
posterior of being one person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .compare import FEATURES, LEVELS

SMOOTH = 0.5
MIN_MATCHES = 20.0
# training key → fields it fixes (not estimated from that key's pairs)
SESSIONS: dict[str, tuple[str, ...]] = {
    "id": ("id", "birth", "sex"),
    "name_year": ("name", "birth"),
    "phone": ("phone",),
    "birth_numbers": ("birth", "address"),
    "name_numbers": ("name", "address"),
}


@dataclass(frozen=True)
class Model:
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    prior: float  # chance that a pair drawn like the u sample is one person

    def level_weights(self) -> list[np.ndarray]:
        """log2(m/u) per feature and level."""
        return [np.log2(m / u) for m, u in zip(self.m, self.u, strict=True)]

    def as_dict(self) -> dict:
        return {
            feature: {
                name: {"m": round(float(m[k]), 6), "u": round(float(u[k]), 8)}
                for k, name in enumerate(LEVELS[feature])
            }
            for feature, m, u in zip(FEATURES, self.m, self.u, strict=True)
        } | {"prior": round(self.prior, 6)}


def _frequencies(levels: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
    out = []
    for column, feature in enumerate(FEATURES):
        size = len(LEVELS[feature])
        present = levels[:, column] >= 0
        tally = np.bincount(
            levels[present, column].astype(np.int64), weights=counts[present], minlength=size
        )
        out.append((tally + SMOOTH) / (tally.sum() + SMOOTH * size))
    return out


def _log_likelihood(patterns: np.ndarray, table: list[np.ndarray]) -> np.ndarray:
    total = np.zeros(len(patterns))
    for column, probabilities in enumerate(table):
        level = patterns[:, column]
        present = level >= 0
        total[present] += np.log(probabilities[level[present]])
    return total


def _posterior(prior: float, log_m: np.ndarray, log_u: np.ndarray) -> np.ndarray:
    odds = np.log(prior) - np.log1p(-prior) + log_m - log_u
    return 1.0 / (1.0 + np.exp(-np.clip(odds, -50, 50)))


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of ``levels`` and how often each occurs (rows packed into one integer)."""
    packed = np.zeros(len(levels), dtype=np.int64)
    for column in range(levels.shape[1]):
        packed = packed * 8 + (levels[:, column].astype(np.int64) + 1)
    _, first, counts = np.unique(packed, return_index=True, return_counts=True)
    return levels[first], counts


def _em(levels: np.ndarray, u: list[np.ndarray], iterations: int) -> tuple[list[np.ndarray], float]:
    """m per field, and how many matches the session's pairs hold by its estimate."""
    patterns, counts = _patterns(levels)
    counts = counts.astype(float)
    # Start from "the same person mostly agrees": mass grows with the level.
    m = []
    for feature in FEATURES:
        start = 4.0 ** np.arange(len(LEVELS[feature]))
        m.append(start / start.sum())
    prior = 0.3
    log_u = _log_likelihood(patterns, u)
    weights = counts
    for _ in range(iterations):
        weights = counts * _posterior(prior, _log_likelihood(patterns, m), log_u)
        new_prior = float(np.clip(weights.sum() / counts.sum(), 1e-6, 1 - 1e-6))
        m = _frequencies(patterns, weights)
        if abs(new_prior - prior) < 1e-7:
            break
        prior = new_prior
    return m, float(weights.sum())


def _prior(levels: np.ndarray, m: list[np.ndarray], u: list[np.ndarray]) -> float:
    patterns, counts = _patterns(levels)
    log_m, log_u = _log_likelihood(patterns, m), _log_likelihood(patterns, u)
    prior = 0.3
    for _ in range(200):
        new = float(
            np.clip((counts * _posterior(prior, log_m, log_u)).sum() / counts.sum(), 1e-6, 1 - 1e-6)
        )
        if abs(new - prior) < 1e-9:
            return new
        prior = new
    return prior


def estimate(
    levels: np.ndarray,
    random_levels: np.ndarray,
    training: dict[str, np.ndarray],
    *,
    population_pairs: int = 0,
    iterations: int = 100,
) -> Model:
    """u from random pairs; m by EM per training key (rows of ``levels``); then the prior.

    ``population_pairs`` is how many record pairs the random pairs were drawn from;
    the prior is the expected number of matches among the candidates over that.
    """
    u = _frequencies(random_levels, np.ones(len(random_levels)))
    estimates: list[list[np.ndarray | None]] = [[] for _ in FEATURES]
    sessions = [(key, rows) for key, rows in training.items() if len(rows)] or [
        ("all", np.arange(len(levels)))
    ]
    for key, rows in sessions:
        fixed = [FEATURES.index(f) for f in SESSIONS.get(key, ())]
        session = levels[rows].copy()
        session[:, fixed] = -1
        m, matches = _em(session, u, iterations)
        if matches < MIN_MATCHES:  # too few duplicates to learn from: keep the defaults
            continue
        for column in range(len(FEATURES)):
            if column not in fixed:
                estimates[column].append(m[column])
    m = []
    for column, feature in enumerate(FEATURES):
        if estimates[column]:
            m.append(np.mean(estimates[column], axis=0))
        else:  # no session estimated this field: agreement likely for the same person
            start = 4.0 ** np.arange(len(LEVELS[feature]))
            m.append(start / start.sum())
    share = _prior(levels, m, u)
    # The prior odds belong to the population u was measured on, not to the candidates:
    # blocking already picked pairs that agree on something, and counting that agreement
    # again as evidence would call every namesake born the same day one person.
    matches = share * len(levels)
    prior = matches / population_pairs if population_pairs else share
    return Model(tuple(m), tuple(u), float(np.clip(prior, 1e-15, 0.5)))


def score(model: Model, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weight (log2 odds) and match probability of each pair."""
    weights = model.level_weights()
    total = np.full(len(levels), np.log2(model.prior / (1 - model.prior)))
    for column, w in enumerate(weights):
        level = levels[:, column]
        present = level >= 0
        total[present] += w[level[present]]
    probability = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
    return total, probability
