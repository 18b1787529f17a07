"""Benchmark: import a 100,000-row register xlsx (goal: under 60 s).

    .venv/bin/python -m bench.register_import.run [--rows 100000] [--seed 1]

Generates a synthetic register (fake people, Chinese headers, realistic cells) as an
xlsx, then for SQLite (a fresh file database) and, when ``DATABASE_URL`` is set,
PostgreSQL (a fresh ``bench_register_import`` database on that server) runs, each in
its own process:

- the peer: openpyxl reading every cell of the same file in read-only mode — the
  floor any xlsx import pays — so the ratio shows what checking and storing add;
- ``linli import``'s service: read, check every row, write residents, households,
  vulnerabilities, wards, source records and audit rows in one transaction;
- the same file again (must change nothing).

Prints wall times, rows/s, the ratio to the peer and the process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMUNITY = "510107005002"  # 武侯区 玉林街道 玉林东路社区
COMPOUNDS = 20
BUILDINGS = 25
HEADERS = [
    "序号",
    "姓名",
    "身份证号码",
    "性别",
    "出生日期",
    "小区",
    "楼栋",
    "单元",
    "房号",
    "联系电话",
    "人员类别",
    "残疾类别/等级",
    "风险等级",
    "服务需求",
    "与户主关系",
    "备注",
]
CATEGORIES = ["独居老人", "低保", "慢性病", "留守儿童", "孕妇", "残疾人"]
DISABILITY = ["肢体二级", "听力三级", "视力一级", "精神四级", "智力二级"]
NEEDS = ["送餐", "送药", "送餐，送药", "手语", "生活物资", ""]


def compound_name(i: int) -> str:
    return f"锦{'一二三四五六七八九十'[i % 10]}{'苑园城庭'[i // 10 % 4]}{i}"


def generate(path: Path, rows: int, seed: int) -> None:
    from openpyxl import Workbook

    from linli.domain import idcard
    from linli.domain.synth import names

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["玉林东路社区人员台账"])
    sheet.append(HEADERS)
    used: set[str] = set()
    for i in range(rows):
        male = rng.random() < 0.49
        birth = dt.date(1925, 1, 1) + dt.timedelta(days=rng.randrange(36000))
        while True:
            number = idcard.make(
                "510107", birth, rng.randrange(500), idcard.MALE if male else idcard.FEMALE
            )
            if number not in used:
                used.add(number)
                break
        given = names.GIVEN_MALE if male else names.GIVEN_FEMALE
        name = rng.choice(names.SURNAMES) + "".join(rng.choices(given, k=rng.choice((1, 2))))
        vulnerable = rng.random() < 0.1
        category = rng.choice(CATEGORIES) if vulnerable else ""
        sheet.append(
            [
                i + 1,
                name if rng.random() > 0.05 else f" {name[0]} {name[1:]} ",  # stray spaces
                number if rng.random() > 0.003 else "",  # a few without an ID number
                "男" if male else "女",
                birth.isoformat() if rng.random() < 0.5 else birth.strftime("%Y.%m"),
                compound_name(rng.randrange(COMPOUNDS)),
                f"{rng.randrange(BUILDINGS) + 1}栋",
                str(rng.randrange(4) + 1),
                f"{rng.randrange(30) + 1}{rng.randrange(4) + 1:02d}",
                f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.9 else "",
                category,
                rng.choice(DISABILITY) if category == "残疾人" else "",
                rng.choice(["高", "中", "低"]) if vulnerable else "",
                rng.choice(NEEDS) if vulnerable else "",
                rng.choice(["户主", "配偶", "子", "女", "父", "母"]),
                "",
            ]
        )
    book.save(path)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, backend: str) -> dict:
    """Run in a child process whose environment selects the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if backend == "postgresql":
        settings.DATABASES["default"]["TEST"] = {"NAME": "bench_register_import"}
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        return _measure(path)
    finally:
        if backend == "postgresql":
            connection.creation.destroy_test_db("bench_register_import", verbosity=0)


def _measure(path: Path) -> dict:
    from openpyxl import load_workbook

    from linli.places.models import Place
    from linli.places.services import do_load_divisions
    from linli.register.imports import do_import_residents, read_register_file

    do_load_divisions()
    community = Place.objects.get(code=COMMUNITY)
    grid = Place.objects.create(
        code=COMMUNITY + "01", name="第1网格", level="grid", parent=community
    )
    for c in range(COMPOUNDS):
        compound = Place.objects.create(
            code=f"{grid.code}{c + 1:02d}", name=compound_name(c), level="compound", parent=grid
        )
        Place.objects.bulk_create(
            Place(
                code=f"{compound.code}{b + 1:03d}",
                name=f"{b + 1}栋",
                level="building",
                parent=compound,
            )
            for b in range(BUILDINGS)
        )
    content = path.read_bytes()
    base_mib = peak_mib()

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) for _ in row)
    book.close()
    peer = time.perf_counter() - started

    def once() -> tuple[float, dict]:
        started = time.perf_counter()
        parsed = read_register_file(content, path.name)
        summary = do_import_residents(
            actor=None,
            place=community,
            parsed=parsed,
            source="bench",
            file_name=path.name,
            commit=True,
            accept_valid=True,
        )
        return time.perf_counter() - started, summary.counts()

    first, counts = once()
    second, again = once()
    return {
        "cells": cells,
        "peer_s": peer,
        "import_s": first,
        "reimport_s": second,
        "counts": counts,
        "again": again,
        "base_mib": base_mib,
        "peak_mib": peak_mib(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the import of a large register xlsx")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.file, args.measure)))
        return 0

    work = Path(tempfile.mkdtemp(prefix="linli-bench-import-"))
    # The generated file is kept between runs (same rows and seed: same file).
    path = Path(tempfile.gettempdir()) / f"linli-bench-register-{args.rows}-{args.seed}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        generate(path.with_suffix(".part"), args.rows, args.seed)
        path.with_suffix(".part").rename(path)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
    print(f"file: {path} ({path.stat().st_size / 2**20:.1f} MiB xlsx)")
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    for backend in backends:
        env = dict(os.environ, LINLI_DATA_DIR=str(work / backend), LINLI_LOG_LEVEL="WARNING")
        if backend == "sqlite":
            env.pop("DATABASE_URL", None)
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.register_import.run",
                "--measure",
                backend,
                "--file",
                str(path),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            print(child.stderr, file=sys.stderr)
            return child.returncode
        r = json.loads(child.stdout.strip().splitlines()[-1])
        rows = r["counts"]["read"]
        print(f"\n[{backend}]")
        print(
            f"  peer: openpyxl read-only, every cell  {r['peer_s']:7.1f} s  "
            f"{rows / r['peer_s']:9,.0f} rows/s"
        )
        print(
            f"  linli import (check + store)          {r['import_s']:7.1f} s  "
            f"{rows / r['import_s']:9,.0f} rows/s  ratio to peer {r['import_s'] / r['peer_s']:.2f}"
        )
        print(
            f"  same file again (changes nothing)     {r['reimport_s']:7.1f} s  "
            f"{rows / r['reimport_s']:9,.0f} rows/s  ratio to peer {r['reimport_s'] / r['peer_s']:.2f}"
        )
        print(f"  counts first  {r['counts']}")
        print(f"  counts again  {r['again']}")
        print(f"  peak memory {r['peak_mib']:.0f} MiB (before the import {r['base_mib']:.0f} MiB)")
        verdict = "met" if r["import_s"] < 60 else "NOT met"
        print(f"  goal: under 60 s for {rows:,} rows — {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
