"""Write a scale's population to CSV files (one per table), streaming community by
community so the city never sits in memory; two worker processes by default."""

from __future__ import annotations

import csv
import multiprocessing
from collections.abc import Callable
from pathlib import Path

from .generate import TABLES, generate_community
from .plan import CommunityPlan, communities_for_scale

COLUMNS = {
    "places": ["code", "name", "level", "parent_code", "x", "y"],
    "households": ["code", "building_code", "unit", "room", "address"],
    "residents": [
        "id",
        "household_code",
        "name",
        "id_number",
        "sex",
        "birth_date",
        "phone",
        "relation",
    ],
    "vulnerabilities": [
        "resident_id",
        "category",
        "start_date",
        "source",
        "disability_type",
        "disability_grade",
    ],
    "wards": ["resident_id", "risk", "needs"],
    "volunteers": [
        "id",
        "resident_id",
        "name",
        "phone",
        "sex",
        "compound_code",
        "passes",
        "skills",
        "vetted",
        "capacity",
        "backup_capacity",
        "organisation",
        "status",
    ],
    "checkpoints": ["code", "name", "compound_code", "x", "y"],
}
_seed = 1


def _one(plan: CommunityPlan) -> dict[str, list[tuple]]:
    population = generate_community(plan.code, population=plan.population, seed=_seed)
    return {table: getattr(population, table) for table in TABLES}


def _init(seed: int) -> None:
    global _seed
    _seed = seed


def write_csv(
    scale: str,
    seed: int,
    out_dir: Path,
    *,
    workers: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Generate ``scale`` into ``out_dir/<table>.csv``; returns rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plans = communities_for_scale(scale, seed)
    handles = {t: (out_dir / f"{t}.csv").open("w", encoding="utf-8", newline="") for t in TABLES}
    writers = {t: csv.writer(h) for t, h in handles.items()}
    for table, writer in writers.items():
        writer.writerow(COLUMNS[table])
    counts = dict.fromkeys(TABLES, 0)
    try:
        if workers > 1:
            pool = multiprocessing.get_context("fork").Pool(
                workers, initializer=_init, initargs=(seed,)
            )
            results = pool.imap(_one, plans, chunksize=4)
        else:
            _init(seed)
            pool = None
            results = map(_one, plans)
        for done, tables in enumerate(results, start=1):
            for table, rows in tables.items():
                writers[table].writerows(rows)
                counts[table] += len(rows)
            if progress:
                progress(done, len(plans))
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        for handle in handles.values():
            handle.close()
    return counts
