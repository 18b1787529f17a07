"""The whole city, end to end, on PostgreSQL: load, plan through the queue, roll up, render
the department forms, measure the city officer's dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli \\
        .venv/bin/python -m bench.city.run [--fraction 1] [--loaders 2] [--workers 2]

In a fresh database (``<name>_city`` on the server of ``DATABASE_URL``, dropped at the end
unless ``--keep``):

1. load: the synthetic city (``linli synth --scale city``: 3,047 communities, 20.94 M
   residents at ``--fraction 1``), each community generated and inserted by the product's
   loader, ``--loaders`` processes at once; then ``ANALYZE``;
2. plan: one ``guardianship.plan_place`` job per district on the real queue (Celery, Redis
   broker, ``--workers`` worker processes started here), timed from the first enqueue to
   the last job's end;
3. screen: one day's screening of every resident through ``POST /api/screenings/batch``
   (gunicorn, the client a separate process on loopback, 1,000 records a request);
4. roll up: every community's figures for the day from its screenings, submitted as its
   daily report, then the city roll-up and the district rows as the report page reads them;
5. forms: every built-in department form for the city and each of its communities;
6. dashboard: the city officer's pages under load (``--users`` concurrent sessions with
   keep-alive, ``--requests`` requests), p50 and p95 (goal p95 ≤ 300 ms).

Each step prints its time and the database size after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from zoneinfo import ZoneInfo

CITY = "5101"
STEPS = ("plan", "screen", "rollup", "forms", "dashboard")  # after the load
# Today in Linli's time zone: the screening API takes checks of the last week only.
DAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
DASHBOARD_PAGES = (
    "/",
    f"/screening/reports/{CITY}/{DAY.isoformat()}/",
    f"/guardianship/coverage/{CITY}/",
)
BATCH = 1000  # records a request, the endpoint's limit


# ---------------------------------------------------------------- steps (Django side)


def _setup(db_name: str, keep: bool):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["TEST"]["NAME"] = db_name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep, serialize=False)
    return connection


def _load_share(args: tuple[list[tuple[str, int]], int]) -> dict[str, int]:
    """Generate and insert a share of the city's communities (in a forked process)."""
    from django.db import connection, transaction

    from linli.demo.population import LoadCounts, load_community
    from linli.domain.synth import generate_community

    connection.close()  # a connection of its own, not the parent's
    plans, seed = args
    counts = LoadCounts()
    for code, population in plans:
        with transaction.atomic():
            load_community(generate_community(code, population=population, seed=seed), counts)
    return {
        "residents": counts.residents,
        "households": counts.households,
        "wards": counts.wards,
        "volunteers": counts.volunteers,
        "checkpoints": counts.checkpoints,
    }


def step_load(fraction: float, loaders: int, seed: int) -> dict:
    from django.db import connection

    from linli.domain.synth import communities_for_scale
    from linli.places.services import do_load_divisions

    do_load_divisions()
    plans = [
        (p.code, max(50, round(p.population * fraction)))
        for p in communities_for_scale("city", seed)
    ]
    shares = [(plans[i::loaders], seed) for i in range(loaders)]
    connection.close()
    with mp.get_context("fork").Pool(loaders) as pool:
        parts = pool.map(_load_share, shares)
    totals = {key: sum(p[key] for p in parts) for key in parts[0]}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {**totals, "communities": len(plans)}


def _start_workers(db_url: str, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=db_url, LINLI_JOBS="celery", LOG_LEVEL="WARNING")
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("linli")), "worker", "--concurrency", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
    )


def step_plan(db_url: str, workers: int) -> dict:
    from django.conf import settings
    from django.db import transaction

    from linli.jobs.models import Job, JobStatus
    from linli.jobs.runner import enqueue
    from linli.places.models import Level, Place

    settings.LINLI_JOBS = "celery"
    worker = _start_workers(db_url, workers)
    try:
        time.sleep(3)  # the workers connect to the broker
        started = time.perf_counter()
        with transaction.atomic():
            jobs = [
                enqueue(
                    "guardianship.plan_place",
                    actor=None,
                    place=district,
                    params={"code": district.code},
                )
                for district in Place.objects.filter(level=Level.DISTRICT, code__startswith=CITY)
            ]
        ids = [j.pk for j in jobs]
        while Job.objects.filter(
            pk__in=ids, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).exists():
            time.sleep(0.5)
        wall = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(30)
    done = list(Job.objects.filter(pk__in=ids))
    failed = [j for j in done if j.status != JobStatus.SUCCEEDED]
    if failed:
        raise RuntimeError(f"{len(failed)} plan jobs did not finish: {failed[0].error}")
    return {
        "wall_s": wall,
        "jobs": len(done),
        "communities": sum(j.result["communities"] for j in done),
        "wards": sum(j.result["wards"] for j in done),
        "gaps": sum(j.result["gaps"] for j in done),
    }


def step_screen(db_url: str, server_workers: int, threads: int, clients: int) -> dict:
    """Every current resident screened once today through the batch endpoint."""
    from django.db.models import Max, Min

    from linli.accounts.models import User
    from linli.accounts.services import do_create_token
    from linli.places.models import Place
    from linli.register.models import Resident

    city = Place.objects.get(code=CITY)
    maker, _ = User.objects.get_or_create(
        username="city-screening-bench", defaults={"role": "system_admin", "place": city}
    )
    _token, raw = do_create_token(
        actor=maker, name="bench/city", purpose="screening_write", place=city
    )
    span = Resident.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    return _against_server(
        db_url, server_workers, threads, "--screen-client", [raw, span["lo"], span["hi"], clients]
    )


def _screen_client(port: int, token: str, lo: int, hi: int, clients: int) -> dict:
    """Residents ``lo``..``hi`` screened, 1,000 a request, from ``clients`` kept-alive
    connections; each body is made just before it is sent."""
    lock = threading.Lock()
    state = {"next": lo, "accepted": 0, "rejected": 0, "failed": 0}
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    errors: list[BaseException] = []

    def worker() -> None:
        try:
            send()
        except BaseException as error:  # a dead thread must fail the run, not shorten it
            errors.append(error)

    def send() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                first = state["next"]
                if first > hi:
                    break
                state["next"] = first + BATCH
            records = [
                {
                    "client_id": f"city-{pk:010d}",
                    "resident": pk,
                    "method": "door",
                    "temperature": 36.5,
                }
                for pk in range(first, min(first + BATCH, hi + 1))
            ]
            started = time.perf_counter()
            conn.request("POST", "/api/screenings/batch", json.dumps({"records": records}), headers)
            response = conn.getresponse()
            answer = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    state["failed"] += len(records)
                    continue
                counts = json.loads(answer)
                state["accepted"] += counts["accepted"] + counts["duplicates"]
                state["rejected"] += counts["rejected"]
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return {
        "wall_s": time.perf_counter() - started,
        "accepted": state["accepted"],
        "rejected": state["rejected"],
        "failed": state["failed"],
        "requests": len(latencies),
        "p99_ms": 1000 * sorted(latencies)[int(0.99 * (len(latencies) - 1))],
    }


def step_rollup() -> dict:
    """Each community's figures from its screenings, submitted; then the city roll-up."""
    from django.db import connection

    from bench.screening.run import submit_day_reports
    from linli.places.models import Level, Place
    from linli.screening.selectors import child_rows, rollup

    codes = dict(Place.objects.filter(level=Level.COMMUNITY).values_list("code", "pk"))
    per_community, figures_s = submit_day_reports(connection, DAY, codes)
    city = Place.objects.get(code=CITY)
    started = time.perf_counter()
    figures = rollup(city, DAY)
    rows = child_rows(city, DAY)
    rollup_s = time.perf_counter() - started
    assert figures.screened == sum(r.figures.screened for r in rows)
    return {
        "figures_s": figures_s,
        "rollup_s": rollup_s,
        "communities": len(per_community),
        "screened": figures.screened,
    }


def step_forms() -> dict:
    """Every built-in form for each district and each of its communities (the forms are
    drawn up by districts and below; the city reads the districts')."""
    from linli.places.models import Level, Place
    from linli.reports.catalogue import built_in_forms
    from linli.reports.services import do_generate_batch

    districts = list(Place.objects.filter(level=Level.DISTRICT, code__startswith=CITY))
    out = {}
    for key, form in built_in_forms().items():
        started = time.perf_counter()
        reports = [
            report
            for district in districts
            for report in do_generate_batch(
                actor=None,
                form=form,
                place=district,
                day=DAY,
                fmt="xlsx",
                reason="bench/city",
                via="bench",
            )
        ]
        out[key] = {
            "s": time.perf_counter() - started,
            "files": len(reports),
            "rows": sum(r.generation.rows for r in reports),
        }
    return out


def _officer_session() -> str:
    """A signed-in city officer's session cookie (password and second factor done)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from linli.accounts.models import User
    from linli.places.models import Place

    officer, _ = User.objects.get_or_create(
        username="city-officer-bench",
        defaults={"role": "city_officer", "place": Place.objects.get(code=CITY)},
    )
    device, _ = TOTPDevice.objects.get_or_create(user=officer, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    return session.session_key


def step_dashboard(
    db_url: str, server_workers: int, threads: int, users: int, requests: int
) -> dict:
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={_officer_session()}"
    return _against_server(
        db_url,
        server_workers,
        threads,
        "--load-client",
        [cookie, list(DASHBOARD_PAGES), users, requests],
    )


def _against_server(db_url: str, workers: int, threads: int, client: str, args: list) -> dict:
    """Serve the database with gunicorn, run ``client`` (a mode of this module) against it
    in a process of its own, and return what the client printed."""
    from bench.screening.run import _serve

    server, port = _serve(db_url, workers, threads)
    try:
        child = subprocess.run(
            [sys.executable, "-m", "bench.city.run", client, json.dumps([port, *args])],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait()


def _load_client(port: int, cookie: str, pages: list[str], users: int, requests: int) -> dict:
    """``users`` keep-alive sessions asking for the pages in turn; latency per request."""
    latencies: list[float] = []
    by_page: dict[str, list[float]] = {page: [] for page in pages}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    left = [requests]

    def user() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        i = 0
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            page = pages[i % len(pages)]
            i += 1
            started = time.perf_counter()
            conn.request("GET", page, headers={"Cookie": cookie, "Accept-Language": "zh-hans"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                by_page[page].append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    # Warm every server worker and page first (not counted).
    for page in pages:
        conn = HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", page, headers={"Cookie": cookie})
        conn.getresponse().read()
    started = time.perf_counter()
    threads = [threading.Thread(target=user) for _ in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "wall_s": wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": _p95_ms(latencies),
        "statuses": statuses,
        "pages": {page: _p95_ms(times) for page, times in by_page.items()},
    }


def _p95_ms(latencies: list[float]) -> float:
    latencies = sorted(latencies)
    return 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]


def _db_size(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the whole city, end to end")
    parser.add_argument("--fraction", type=float, default=1.0, help="share of each population")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--loaders", type=int, default=2, help="processes loading the city")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--users", type=int, default=4, help="dashboard sessions at once, no think time"
    )
    parser.add_argument("--requests", type=int, default=600, help="dashboard requests")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument(
        "--steps", default=",".join(STEPS), help=f"which steps, of {','.join(STEPS)}"
    )
    parser.add_argument("--clients", type=int, default=4, help="screening API connections")
    parser.add_argument("--load-client", help=argparse.SUPPRESS)
    parser.add_argument("--screen-client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_client:
        print(json.dumps(_load_client(*json.loads(args.load_client))))
        return 0
    if args.screen_client:
        print(json.dumps(_screen_client(*json.loads(args.screen_client))))
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database)")
        return 2
    import dj_database_url

    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    db_name = f"{base['NAME']}_city"
    db_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + db_name
    connection = _setup(db_name, args.keep)
    print(f"PostgreSQL database {db_name}; 2 cores; fraction {args.fraction:g} of the city")
    try:
        from linli.register.models import Resident

        if not (args.keep and Resident.objects.exists()):
            started = time.perf_counter()
            loaded = step_load(args.fraction, args.loaders, args.seed)
            print(
                f"  load       {time.perf_counter() - started:8.1f} s  "
                f"{loaded['residents']:,} residents, {loaded['households']:,} households, "
                f"{loaded['wards']:,} wards, {loaded['volunteers']:,} volunteers, "
                f"{loaded['checkpoints']:,} checkpoints in {loaded['communities']:,} communities"
                f"  (database {_db_size(connection)}, peak {_peak_mib():.0f} MiB)",
                flush=True,
            )
        steps = set(args.steps.split(","))
        if "plan" in steps:
            plan = step_plan(db_url, args.workers)
            print(
                f"  plan       {plan['wall_s']:8.1f} s  {plan['jobs']} district jobs on "
                f"{args.workers} Celery workers: {plan['communities']:,} communities, "
                f"{plan['wards']:,} wards, {plan['gaps']:,} gaps"
                f"  (database {_db_size(connection)})",
                flush=True,
            )
        if "screen" in steps:
            screened = step_screen(db_url, args.server_workers, args.threads, args.clients)
            rate = screened["accepted"] / screened["wall_s"]
            print(
                f"  screen     {screened['wall_s']:8.1f} s  {screened['accepted']:,} records "
                f"stored through the batch API = {rate:,.0f} records/s ({args.clients} "
                f"connections, gunicorn {args.server_workers} × {args.threads} threads; p99 {screened['p99_ms']:.0f} ms "
                f"a request; rejected {screened['rejected']:,}, failed {screened['failed']:,})"
                f"  (database {_db_size(connection)})",
                flush=True,
            )
        if "rollup" in steps:
            rolled = step_rollup()
            print(
                f"  roll-up    {rolled['figures_s']:8.2f} s  every community's figures "
                f"({rolled['communities']:,} communities, {rolled['screened']:,} screened); "
                f"city roll-up and district rows {rolled['rollup_s']:.3f} s (goal ≤ 5 s)",
                flush=True,
            )
        if "forms" in steps:
            forms = step_forms()
            total = sum(f["s"] for f in forms.values())
            detail = ", ".join(f"{k} {v['s']:.1f} s" for k, v in forms.items())
            files = sum(f["files"] for f in forms.values())
            print(
                f"  forms      {total:8.1f} s  {files:,} xlsx ({detail})"
                f"  (database {_db_size(connection)})",
                flush=True,
            )
        if "dashboard" in steps:
            board = step_dashboard(
                db_url, args.server_workers, args.threads, args.users, args.requests
            )
            print(
                f"  dashboard  {board['wall_s']:8.1f} s  {board['requests']:,} requests, "
                f"{args.users} sessions: p50 {board['p50_ms']:.0f} ms, "
                f"p95 {board['p95_ms']:.0f} ms (goal p95 ≤ 300 ms); statuses {board['statuses']}",
                flush=True,
            )
            for page, p95 in board["pages"].items():
                print(f"               p95 {p95:6.0f} ms  {page}")
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(db_name, verbosity=0)
    return 0


def _peak_mib() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(usage, children) / 1024


if __name__ == "__main__":
    sys.exit(main())
