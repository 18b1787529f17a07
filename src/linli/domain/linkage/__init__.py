"""Record linkage (去重): find the same person registered several times, across and within
department lists, with or without an ID number. Pure Python + numpy, no Django."""

from .model import Evidence, Linkage, Pair, Records
from .solve import REVIEW, THRESHOLD, clusters, evidence, link, review_pairs

__all__ = [
    "REVIEW",
    "THRESHOLD",
    "Evidence",
    "Linkage",
    "Pair",
    "Records",
    "clusters",
    "evidence",
    "link",
    "review_pairs",
]
