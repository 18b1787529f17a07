"""The engines the benchmark runs: ours, and recordlinkage 0.16 as the peer.

Each takes :class:`Records` and returns a person number per record. Run one in a
fresh process (``python -m bench.linkage.engines ENGINE DATA SIZE OUT``) so its
peak memory is its own.
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
import time

import numpy as np

from linli.domain.linkage import Records, clusters, link
from linli.domain.linkage.normalise import normalise


def ours(records: Records) -> np.ndarray:
    return link(records).cluster


def recordlinkage_peer(records: Records) -> np.ndarray:
    """recordlinkage 0.16, configured as its documentation suggests for deduplication:
    several blocking keys, exact and string comparisons, the unsupervised ECM
    classifier. It gets our normal forms (simplified names, pinyin, digits-only IDs),
    computed inside its timed run, so it does not lose on Chinese text handling."""
    import pandas as pd
    import recordlinkage as rl

    n = normalise(records)
    frame = pd.DataFrame(
        {
            "pinyin": n.pinyin,
            "head": n.head,
            "id": n.id_number,
            "birth": n.birth,
            "year": [b[:4] for b in n.birth.tolist()],
            "sex": n.sex,
            "phone": n.phone,
            "address": n.address,
            "place": n.place,
        }
    ).replace("", None)
    index = rl.Index()
    index.block("id")
    index.block(["pinyin", "year"])
    index.block("phone")
    index.block(["birth", "head"])
    index.block(["place", "head"])
    pairs = index.index(frame)
    compare = rl.Compare()
    compare.string("id", "id", method="damerau_levenshtein", threshold=0.94, label="id")
    compare.string("pinyin", "pinyin", method="jarowinkler", threshold=0.9, label="name")
    compare.exact("birth", "birth", label="birth")
    compare.exact("sex", "sex", label="sex")
    compare.exact("phone", "phone", label="phone")
    compare.string("address", "address", method="levenshtein", threshold=0.85, label="address")
    features = compare.compute(pairs, frame)
    # A field nobody filled in (FEBRL has no ID, phone or sex) is a constant column,
    # which breaks ECM's estimates: leave it out, as a user of the package would.
    features = features.loc[:, features.nunique() > 1]
    matches = rl.ECMClassifier().fit_predict(features)
    i = np.asarray(matches.get_level_values(0), dtype=np.int64)
    j = np.asarray(matches.get_level_values(1), dtype=np.int64)
    return clusters(len(records), i, j)


ENGINES = {"linli": ours, "recordlinkage": recordlinkage_peer}


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def subset(records: Records, size: int) -> Records:
    return Records(
        key=list(range(size)),
        **{f: getattr(records, f)[:size] for f in Records.__dataclass_fields__ if f != "key"},
    )


def main(argv: list[str]) -> None:
    engine, data, size, out = argv[0], argv[1], int(argv[2]), argv[3]
    with open(data, "rb") as handle:
        records = subset(pickle.load(handle)[0], size)
    loaded = _rss_mb()
    start = time.perf_counter()
    cluster = ENGINES[engine](records)
    seconds = time.perf_counter() - start
    np.save(out, cluster)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "loaded_mb": loaded}))


if __name__ == "__main__":
    main(sys.argv[1:])
