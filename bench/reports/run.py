"""Benchmark: render every built-in form for every community of a district and for the
district as a whole (goal: ≤ 10 s for a district of 1,000,000 residents).

    .venv/bin/python -m bench.reports.run [--residents 1000000] [--seed 1] [--format xlsx]

Loads 武侯区's 113 communities from the synthetic population, scaled to ``--residents``
in all, into a fresh database — SQLite (a file), and PostgreSQL too when ``DATABASE_URL``
is set (a fresh ``bench_reports`` database on that server) — each in its own process,
and plans guardians for one community per street (the other communities' wards have
none, which the forms show as gaps). Then, on that database:

- linli: ``do_generate_batch`` for each built-in form: one read of the district's
  register, then a file for the district and one per community (build the table,
  render, log each generation);
- the floor: for each form, one hand-written SQL aggregate giving that form's totals per
  community for the whole district — the least any report of those figures must cost on
  this database. The ratio is linli's time over the floor's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DISTRICT = "510107"  # 武侯区

# The floor: each form's figures per community, in one statement over the district.
FLOOR_SQL = {
    "civil_affairs": """
        SELECT substr(p.code, 1, 12), count(DISTINCT v.resident_id)
        FROM register_vulnerability v
        JOIN register_resident r ON r.id = v.resident_id
        JOIN places_place p ON p.id = r.place_id
        WHERE p.code LIKE %(prefix)s AND r.merged_into_id IS NULL
          AND v.category IN ('subsistence', 'de_facto_orphan', 'left_behind_child')
          AND (v.start_date IS NULL OR v.start_date <= %(day)s)
          AND (v.end_date IS NULL OR v.end_date >= %(day)s)
        GROUP BY 1""",
    "disabled_federation": """
        SELECT substr(p.code, 1, 12), count(DISTINCT v.resident_id)
        FROM register_vulnerability v
        JOIN register_resident r ON r.id = v.resident_id
        JOIN places_place p ON p.id = r.place_id
        WHERE p.code LIKE %(prefix)s AND r.merged_into_id IS NULL AND v.disability_type <> ''
          AND (v.start_date IS NULL OR v.start_date <= %(day)s)
          AND (v.end_date IS NULL OR v.end_date >= %(day)s)
        GROUP BY 1""",
    "health_quarantine": """
        SELECT substr(p.code, 1, 12), count(DISTINCT v.resident_id)
        FROM register_vulnerability v
        JOIN register_resident r ON r.id = v.resident_id
        JOIN places_place p ON p.id = r.place_id
        WHERE p.code LIKE %(prefix)s AND r.merged_into_id IS NULL
          AND v.category = 'home_quarantine'
          AND (v.start_date IS NULL OR v.start_date <= %(day)s)
          AND (v.end_date IS NULL OR v.end_date >= %(day)s)
        GROUP BY 1""",
    "street_daily": """
        SELECT substr(p.code, 1, 12), count(*),
               count(DISTINCT r.household_id)
        FROM register_resident r JOIN places_place p ON p.id = r.place_id
        WHERE p.code LIKE %(prefix)s AND r.merged_into_id IS NULL
        GROUP BY 1""",
    "volunteer_hours": """
        SELECT substr(p.code, 1, 12), count(DISTINCT g.id), count(s.id)
        FROM guardianship_volunteer g
        JOIN places_place p ON p.id = g.place_id
        LEFT JOIN rostering_rostershift s ON s.volunteer_id = g.id
             AND s.day BETWEEN %(first)s AND %(day)s
        WHERE p.code LIKE %(prefix)s
        GROUP BY 1""",
}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(backend: str, residents: int, seed: int, fmt: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if backend == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = "bench_reports"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        return _measure(residents, seed, fmt)
    finally:
        if backend == "postgresql":
            connection.creation.destroy_test_db("bench_reports", verbosity=0)


def _load(residents: int, seed: int) -> dict:
    from django.db import transaction

    from linli.demo.population import LoadCounts, load_community
    from linli.domain.synth import communities_for_scale, generate_community
    from linli.guardianship.models import Trigger
    from linli.guardianship.replan import do_replan_community
    from linli.places.models import Place
    from linli.places.services import do_load_divisions

    do_load_divisions()
    plans = [p for p in communities_for_scale("district", seed) if p.code.startswith(DISTRICT)]
    total = sum(p.population for p in plans)
    counts = LoadCounts()
    started = time.perf_counter()
    for plan in plans:
        size = max(50, round(plan.population * residents / total))
        with transaction.atomic():
            load_community(generate_community(plan.code, population=size, seed=seed), counts)
    planned = []
    for street in Place.objects.filter(code__startswith=DISTRICT, level="street"):
        first = Place.objects.filter(parent=street, level="community").order_by("code").first()
        if first is not None and Place.objects.filter(parent__parent=first).exists():
            do_replan_community(community=first, trigger=Trigger.BY_HAND, actor=None)
            planned.append(first.code)
    # Fresh statistics, as autovacuum would have them on a database in use: without them
    # PostgreSQL plans the district-wide joins as nested loops.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "load_s": time.perf_counter() - started,
        "residents": counts.residents,
        "households": counts.households,
        "vulnerabilities": counts.vulnerabilities,
        "wards": counts.wards,
        "volunteers": counts.volunteers,
        "communities": len(plans),
        "planned": len(planned),
    }


def _measure(residents: int, seed: int, fmt: str) -> dict:
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from linli.places.models import Place
    from linli.reports.catalogue import built_in_forms
    from linli.reports.services import do_generate_batch

    loaded = _load(residents, seed)
    day = timezone.localdate()
    district = Place.objects.get(code=DISTRICT)
    places = [district, *Place.objects.filter(code__startswith=DISTRICT, level="community")]
    forms = built_in_forms()
    per_form: dict[str, dict] = {}
    for key, form in forms.items():
        started = time.perf_counter()
        reports = do_generate_batch(
            actor=None, form=form, place=district, day=day, fmt=fmt, reason="bench", via="bench"
        )
        rows = sum(r.generation.rows for r in reports)
        assert len(reports) == len(places)
        linli = time.perf_counter() - started
        params = {
            "prefix": DISTRICT + "%",
            "day": day.isoformat(),
            "first": (day - dt.timedelta(days=6)).isoformat(),
        }
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL[key], params)
            floor_rows = cursor.fetchall()
        floor = time.perf_counter() - started
        per_form[key] = {
            "linli_s": linli,
            "floor_s": floor,
            "rows": rows,
            "floor_groups": len(floor_rows),
            "files": len(places),
        }
    return {"loaded": loaded, "forms": per_form, "places": len(places), "peak_mib": peak_mib()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time every built-in form for a district")
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["xlsx", "csv", "hxl"], default="xlsx")
    parser.add_argument(
        "--only", choices=["sqlite", "postgresql"], help="measure one database, not both"
    )
    parser.add_argument("--measure", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        result = measure(args.measure, args.residents, args.seed, args.format)
        print(json.dumps(result))
        return 0

    work = Path(tempfile.mkdtemp(prefix="linli-bench-reports-"))
    backends = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL") else [])
    if args.only:
        backends = [args.only]
    for backend in backends:
        env = dict(os.environ, LINLI_DATA_DIR=str(work / backend), LINLI_LOG_LEVEL="WARNING")
        if backend == "sqlite":
            env.pop("DATABASE_URL", None)
        command = [sys.executable, "-m", "bench.reports.run", "--measure", backend]
        command += ["--residents", str(args.residents), "--seed", str(args.seed)]
        command += ["--format", args.format]
        child = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if child.returncode:
            print(child.stderr, file=sys.stderr)
            return child.returncode
        r = json.loads(child.stdout.strip().splitlines()[-1])
        loaded = r["loaded"]
        print(
            f"\n[{backend}] 武侯区: {loaded['residents']:,} residents, "
            f"{loaded['households']:,} households, {loaded['vulnerabilities']:,} "
            f"vulnerability records, {loaded['wards']:,} wards, {loaded['volunteers']:,} "
            f"volunteers in {loaded['communities']} communities (loaded in "
            f"{loaded['load_s']:.0f} s; guardians planned in {loaded['planned']})"
        )
        print(
            f"  each form for {r['places']} places (every community + the district), "
            f"{args.format}, each generation logged"
        )
        print(f"  {'form':<22}{'files':>6}{'rows':>9}{'linli s':>10}{'floor s':>10}{'ratio':>9}")
        total = floor = 0.0
        for key, f in r["forms"].items():
            total += f["linli_s"]
            floor += f["floor_s"]
            print(
                f"  {key:<22}{f['files']:>6}{f['rows']:>9,}{f['linli_s']:>10.2f}"
                f"{f['floor_s']:>10.3f}{f['linli_s'] / f['floor_s']:>9.1f}"
            )
        print(
            f"  {'all forms':<22}{'':>6}{'':>9}{total:>10.2f}{floor:>10.3f}"
            f"{total / floor:>9.1f}   (goal ≤ 10 s)"
        )
        print(f"  peak memory {r['peak_mib']:.0f} MiB")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
