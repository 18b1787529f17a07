"""Pairwise precision, recall and F1 of a clustering against the known people."""

from __future__ import annotations

import numpy as np


def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float | int]:
    """Counts every pair of records put together by ``predicted`` and by ``truth``."""
    predicted, truth = np.asarray(predicted), np.asarray(truth)
    _, predicted_codes = np.unique(predicted, return_inverse=True)
    _, truth_codes = np.unique(truth, return_inverse=True)
    both = predicted_codes.astype(np.int64) * (int(truth_codes.max()) + 1) + truth_codes
    tp = _pairs(np.unique(both, return_counts=True)[1])
    found = _pairs(np.unique(predicted_codes, return_counts=True)[1])
    true = _pairs(np.unique(truth_codes, return_counts=True)[1])
    precision = tp / found if found else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": true,
        "found_pairs": found,
        "correct_pairs": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }
