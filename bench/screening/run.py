"""Benchmark: screenings at city volume, against PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/screening \\
        .venv/bin/python -m bench.screening.run [--scale 0.01] [--records 100000]

In a fresh database (``<name>_bench`` on the server of ``DATABASE_URL``):

1. batch ingest: ``POST /api/screenings/batch`` (1,000 records a request, API token) served
   by gunicorn (``--workers``, as in deploy/systemd/linli-web.service) with the client in a
   separate process on loopback, ``--clients`` connections at once — records/s
   (goal ≥ 20,000);
2. single records: the same endpoint with one record a request — requests/s, p50 and p99
   (goal ≥ 500 req/s, p99 ≤ 100 ms);
3. the physical limit: PostgreSQL ``COPY`` of the same rows into a copy of the table (same
   indexes), and the ratio;
4. the city roll-up for one day at planning scale: 21,000,000 screenings × ``--scale``
   spread over Chengdu's 3,047 communities (loaded with SQL), then (a) every community's
   figures from the day's screenings in one pass and (b) the city roll-up and the
   district rows from the submitted community reports, as the report page computes them
   (goal ≤ 5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

PLANNING_SCREENINGS = 21_000_000
COMMUNITY = "510107005002"  # 玉林东路社区
HOUSEHOLDS = 5000


# ---------------------------------------------------------------- client (own process)


def _client(port: int, token: str, households: list[int], mode: str, count: int, clients: int):
    """Send ``count`` records (batch mode) or requests (single mode) from ``clients`` threads,
    each on one kept-alive connection. The bodies are made before the clock starts: the
    client shares the machine's cores with the server, so it should cost it little."""
    latencies: list[float] = []
    failures = []
    per_request = 1000 if mode == "batch" else 1
    requests = count // per_request
    bodies = [
        json.dumps(
            {
                "records": [
                    {
                        "client_id": uuid.uuid4().hex,
                        "household": households[(n * per_request + i) % len(households)],
                        "method": "door",
                        "temperature": 36.5,
                    }
                    for i in range(per_request)
                ]
            }
        ).encode()
        for n in range(requests)
    ]
    lock = threading.Lock()

    def worker() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while True:
            with lock:
                if not bodies:
                    break
                payload = bodies.pop()
            started = time.perf_counter()
            conn.request("POST", "/api/screenings/batch", payload, headers)
            response = conn.getresponse()
            answer = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200 or json.loads(answer)["accepted"] != per_request:
                failures.append(response.status)
            with lock:
                latencies.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    print("ready", flush=True)
    sys.stdin.readline()
    cpu = _own_cpu()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "wall_s": wall,
        "client_cpu_s": _own_cpu() - cpu,
        "requests": len(latencies),
        "records": len(latencies) * per_request,
        "failures": len(failures),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _cpu_of(pids) -> dict[int, float]:
    """CPU seconds (user + system) each process has used so far, read from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


class _ServerCpu:
    """CPU used by the gunicorn processes and by the bench database's PostgreSQL backends
    between two moments (the server runs on this machine, as the benchmark requires)."""

    def __init__(self, server: subprocess.Popen, connection, db_name: str):
        self.server, self.connection, self.db_name = server, connection, db_name

    def _pids(self) -> tuple[list[int], list[int]]:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        web = [self.server.pid, *map(int, children.read_text().split())]
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.db_name],
            )
            database = [row[0] for row in cursor.fetchall()]
        return web, database

    def start(self) -> None:
        web, database = self._pids()
        self.before = _cpu_of(web), _cpu_of(database)

    def stop(self) -> tuple[float, float]:
        web, database = self._pids()
        after = _cpu_of(web), _cpu_of(database)
        return tuple(  # type: ignore[return-value]
            sum(used - earlier.get(pid, 0.0) for pid, used in now.items())
            for now, earlier in zip(after, self.before, strict=True)
        )


# ---------------------------------------------------------------- server side (Django)


def _setup_django(db_name: str):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["TEST"]["NAME"] = db_name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection


def _scene() -> tuple[str, list[int]]:
    from linli.accounts.models import User
    from linli.accounts.services import do_create_token
    from linli.common.bulk import insert_rows, reserve_ids
    from linli.places.models import Place
    from linli.places.services import do_load_divisions
    from linli.register.models import Household

    do_load_divisions()
    community = Place.objects.get(code=COMMUNITY)
    grid = Place.objects.create(code=COMMUNITY + "01", name="网格", level="grid", parent=community)
    building = Place.objects.create(
        code=grid.code + "01001", name="1栋", level="building", parent=grid
    )
    from django.db import transaction

    with transaction.atomic():
        ids = reserve_ids(Household, HOUSEHOLDS)
        insert_rows(
            Household,
            [{"id": i, "code": f"B{i}", "place_id": building.pk, "room": str(i)} for i in ids],
        )
    maker = User.objects.create_user(
        username="bench", password="bench-password-1", role="community_secretary", place=community
    )
    _token, raw = do_create_token(
        actor=maker, name="bench", purpose="screening_write", place=community
    )
    return raw, ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db_url: str, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        DEBUG="0",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="600",
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "linli.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # gthread keeps each client's connection open between requests (sync workers
            # close it after every answer); the threads overlap waits on the database.
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(300):
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _run_client(port, token, households, mode, count, clients, meter=None) -> dict:
    spec = json.dumps([port, token, households[:500], mode, count, clients])
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.screening.run", "--client", spec],
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
    )
    # The client makes its bodies, says "ready" and waits: the server's CPU is counted
    # from the moment it starts sending.
    assert child.stdout.readline().strip() == "ready"
    if meter:
        meter.start()
    child.stdin.write("go\n")
    child.stdin.flush()
    out = json.loads(child.stdout.readline())
    if meter:
        out["web_cpu_s"], out["db_cpu_s"] = meter.stop()
    child.wait()
    return out


def _copy_limit(connection, records: int, households: list[int]) -> dict:
    """COPY ``records`` rows like the endpoint's into a copy of the table (same indexes, no
    foreign keys); wall time, and CPU of this process and of its PostgreSQL backend."""

    from django.utils import timezone

    place_id = (
        connection.cursor().execute("SELECT place_id FROM register_household LIMIT 1").fetchone()[0]
    )
    now, today = timezone.now(), timezone.localdate()
    rows = [
        (
            uuid.uuid4().hex,
            today,
            now,
            place_id,
            COMMUNITY,
            households[i % len(households)],
            None,
            "door",
            36.5,
            "[]",
            False,
            "",
            False,
            False,
            "none",
            "[]",
            "",
            True,
            None,
        )
        for i in range(records)
    ]
    columns = (
        "client_id, day, at, place_id, community_code, household_id, resident_id, method, "
        "temperature, symptoms, fever, travel_from, from_risk_area, case_contact, quarantine, "
        "needs, note, all_normal, checked_by_id"
    )
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE TABLE bench_copy (LIKE screening_screening INCLUDING ALL)")
    raw.commit()
    backend = raw.info.backend_pid
    db_cpu = _cpu_of([backend]).get(backend, 0.0)
    cpu = _own_cpu()
    started = time.perf_counter()
    with raw.cursor() as cursor, cursor.copy(f"COPY bench_copy ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    raw.commit()
    return {
        "wall_s": time.perf_counter() - started,
        "client_cpu_s": _own_cpu() - cpu,
        "db_cpu_s": _cpu_of([backend]).get(backend, 0.0) - db_cpu,
    }


def submit_day_reports(connection, day, codes: dict[str, int]) -> tuple[list[tuple], float]:
    """Every community's figures for ``day`` from its screenings, in one pass (timed), then
    submitted as its daily report (replacing any of that day). ``codes``: community code →
    place id. Returns the figures per community and the seconds the pass took."""
    from django.db import transaction

    from linli.screening.models import DailyReport

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT community_code, count(*), count(*) FILTER (WHERE fever),
                   count(*) FILTER (WHERE from_risk_area)
            FROM screening_screening WHERE day = %s GROUP BY community_code
            """,
            [day],
        )
        per_community = cursor.fetchall()
    seconds = time.perf_counter() - started
    with transaction.atomic():
        DailyReport.objects.filter(day=day).delete()
        DailyReport.objects.bulk_create(
            [
                DailyReport(
                    place_id=codes[code],
                    day=day,
                    status="submitted",
                    screened=n,
                    fever=f,
                    from_risk_areas=a,
                )
                for code, n, f, a in per_community
            ],
            batch_size=1000,
        )
    return per_community, seconds


def _city_day(connection, scale: float) -> dict:
    """Load the day's screenings for every community, submit their reports, time the roll-up."""
    import datetime as dt

    from linli.places.models import Level, Place
    from linli.screening.selectors import child_rows, rollup

    day = dt.date(2026, 3, 2)
    total = int(PLANNING_SCREENINGS * scale)
    communities = list(Place.objects.filter(level=Level.COMMUNITY).values_list("pk", "code"))
    per = max(1, total // len(communities))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Loading only: skip the per-row foreign-key triggers (every place id is real).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("CREATE TEMP TABLE bench_communities (place_id int, code text)")
        cursor.executemany("INSERT INTO bench_communities VALUES (%s, %s)", communities)
        cursor.execute(
            """
            INSERT INTO screening_screening (client_id, day, at, place_id, community_code,
                method, temperature, symptoms, fever, travel_from, from_risk_area,
                case_contact, quarantine, needs, note, all_normal)
            SELECT c.code || '-' || g, %s, now(), c.place_id, c.code, 'door', 36.5, '[]',
                   g %% 997 = 0, '', g %% 1499 = 0, false, 'none', '[]', '', g %% 997 <> 0
            FROM bench_communities c CROSS JOIN generate_series(1, %s) g
            """,
            [day, per],
        )
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE screening_screening")
    load_s = time.perf_counter() - started
    loaded = per * len(communities)

    codes = {code: pk for pk, code in communities}
    per_community, communities_s = submit_day_reports(connection, day, codes)
    city = Place.objects.get(code="5101")
    started = time.perf_counter()
    figures = rollup(city, day)
    rows = child_rows(city, day)
    rollup_s = time.perf_counter() - started
    assert figures.screened == loaded == sum(r.figures.screened for r in rows)
    from linli.screening.selectors import community_figures

    started = time.perf_counter()
    one = community_figures(COMMUNITY, day)
    one_s = time.perf_counter() - started
    return {
        "screenings": loaded,
        "communities": len(per_community),
        "load_s": load_s,
        "all_communities_s": communities_s,
        "rollup_s": rollup_s,
        "one_community_s": one_s,
        "one_community_screened": one.screened,
    }


def _cpu_line(run: dict, per: int, unit: str) -> str:
    """CPU per ``per`` records (or requests), by process, and what 2 idle cores would allow."""
    parts = [("client", run["client_cpu_s"])]
    if "web_cpu_s" in run:
        parts.append(("gunicorn", run["web_cpu_s"]))
    parts.append(("PostgreSQL", run["db_cpu_s"]))
    total = sum(cpu for _name, cpu in parts)
    each = ", ".join(f"{name} {1000 * cpu / run[unit] * per:.1f}" for name, cpu in parts)
    ceiling = 2 * run[unit] / total if total else float("nan")
    return (
        f"CPU ms per {per:,} {unit}: {each} = {1000 * total / run[unit] * per:.1f} "
        f"(2 idle cores: at most {ceiling:,.0f} {unit}/s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="screening ingest and roll-up benchmark")
    parser.add_argument("--scale", type=float, default=0.01, help="share of 21 M screenings")
    parser.add_argument("--records", type=int, default=100_000, help="records for batch ingest")
    parser.add_argument("--singles", type=int, default=5000, help="single-record requests")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client connections")
    parser.add_argument("--no-city", action="store_true", help="skip the city roll-up")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        print(json.dumps(_client(*json.loads(args.client))), flush=True)
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database)")
        return 2
    import dj_database_url

    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    db_name = f"{base['NAME']}_bench"
    connection = _setup_django(db_name)
    server = None
    try:
        token, households = _scene()
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + db_name
        server, port = _serve(url, args.workers, args.threads)
        meter = _ServerCpu(server, connection, db_name)
        # warm up every worker and thread (each opens its database connection)
        _run_client(port, token, households, "batch", 3000 * args.workers, args.clients)
        batch = _run_client(port, token, households, "batch", args.records, args.clients, meter)
        single = _run_client(port, token, households, "single", args.singles, args.clients, meter)
        server.terminate()
        server.wait()
        server = None
        copy = _copy_limit(connection, batch["records"], households)
        city = None if args.no_city else _city_day(connection, args.scale)
    finally:
        if server is not None:
            server.terminate()
        connection.creation.destroy_test_db(db_name, verbosity=0)
    load = os.getloadavg()[0]
    rate = batch["records"] / batch["wall_s"]
    copy["records"] = batch["records"]
    copy_rate = copy["records"] / copy["wall_s"]
    cpu = (batch["client_cpu_s"] + batch["web_cpu_s"] + batch["db_cpu_s"]) / batch["records"]
    copy_cpu = (copy["client_cpu_s"] + copy["db_cpu_s"]) / copy["records"]
    print(
        f"\nPostgreSQL, gunicorn × {args.workers} workers × {args.threads} threads (gthread), "
        f"client a separate process on loopback; load average {load:.1f} ({os.cpu_count()} cores)"
    )
    print(
        f"  batch ingest      {batch['records']:>9,} records in {batch['wall_s']:.1f} s = "
        f"{rate:,.0f} records/s ({args.clients} connections, 1,000 a request, "
        f"p50 {batch['p50_ms']:.0f} ms, p99 {batch['p99_ms']:.0f} ms; failures "
        f"{batch['failures']})   goal ≥ 20,000"
    )
    print(f"                    {_cpu_line(batch, 1000, 'records')}")
    print(
        f"  single records    {single['requests']:>9,} requests in {single['wall_s']:.1f} s = "
        f"{single['requests'] / single['wall_s']:,.0f} req/s, p50 {single['p50_ms']:.1f} ms, "
        f"p99 {single['p99_ms']:.1f} ms ({args.clients} connections; failures "
        f"{single['failures']})   goal ≥ 500 req/s, p99 ≤ 100 ms"
    )
    print(f"                    {_cpu_line(single, 1, 'requests')}")
    print(
        f"  COPY (the limit)  {copy['records']:>9,} rows in {copy['wall_s']:.2f} s = "
        f"{copy_rate:,.0f} rows/s; endpoint / COPY = {rate / copy_rate:.2f} "
        f"(COPY is {copy_rate / rate:.1f}× faster)"
    )
    print(f"                    {_cpu_line(copy, 1000, 'records')}")
    print(
        f"                    CPU per record: COPY {1e6 * copy_cpu:.0f} µs, endpoint "
        f"{1e6 * cpu:.0f} µs; COPY / endpoint = {copy_cpu / cpu:.2f}"
    )
    if city is None:
        return 0
    print(
        f"  city day          {city['screenings']:,} screenings in {city['communities']:,} "
        f"communities (scale {args.scale:g} of 21 M; loaded in {city['load_s']:.0f} s)"
    )
    print(
        f"    every community's figures from the screenings, one pass: {city['all_communities_s']:.2f} s"
    )
    print(
        f"    city roll-up + district rows from submitted reports:      {city['rollup_s']:.3f} s   goal ≤ 5 s"
    )
    print(
        f"    one community's full figures (report page / submit):     {city['one_community_s']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
