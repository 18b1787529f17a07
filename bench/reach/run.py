"""Benchmark: a roll-call through the locmem channel, answers through the HTTP callback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reach \\
        .venv/bin/python -m bench.reach.run [--wards 2000] [--clients 4]

In a fresh database (``<name>_bench``): ``--wards`` wards in one community (one compound per
100 wards); a street officer starts a roll-call of the community's street; then
1. dispatch: the outbox sends every call through ``locmem`` (rate limit raised to the
   batch; the per-minute limit is a setting, and at 600/min a city of 204,000 wards takes
   5.7 h per community pool — the figure here is Linli's own cost per message);
2. answers: a simulated stream — 60% keypress 1 at once, 20% a "not answered" call report
   then keypress 1 (after retries), 20% never — each a signed callback POSTed to gunicorn
   (2 gthread workers × 4) by ``--clients`` threads of a separate process: answers/s, p50/p99;
   the street's board is read meanwhile (p95) and after the last answer (time to final);
3. the floor: bare INSERTs of the same callback rows (executemany in one transaction).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection

from bench.screening.run import _serve, _setup_django

COMMUNITY = "510107005002"
SECRET = "bench-secret"


def _client(port: int, bodies: list[str], clients: int) -> dict:
    from linli.domain.reach.signing import callback_signature

    latencies: list[float] = []
    failures: list[int] = []
    queue = list(bodies)
    lock = threading.Lock()

    def worker() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    return
                provider, body = json.loads(queue.pop())
            raw = body.encode()
            at = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Linli-Signature": f"t={at},v1={callback_signature(SECRET, at, raw)}",
            }
            started = time.perf_counter()
            conn.request("POST", f"/reach/callbacks/{provider}/", body=raw, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(response.status)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"wall_s": time.perf_counter() - started, "latencies": latencies, "failures": failures}


def _scene(wards: int):
    import datetime as dt

    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.places.services import do_load_divisions
    from linli.reach.models import CommunityReach
    from linli.register.models import Resident, Ward

    do_load_divisions()
    community = Place.objects.get(code=COMMUNITY)
    grid = Place.objects.create(code=COMMUNITY + "01", name="网格", level="grid", parent=community)
    compounds = [
        Place.objects.create(
            code=f"{grid.code}{i:02d}", name=f"小区{i}", level="compound", parent=grid
        )
        for i in range(1, max(1, wards // 100) + 1)
    ]
    residents = Resident.objects.bulk_create(
        [
            Resident(
                place=compounds[i % len(compounds)],
                name=f"居民{i}",
                sex="F",
                birth_date=dt.date(1940, 1, 1),
                phone=f"139{i:08d}",
            )
            for i in range(wards)
        ],
        batch_size=2000,
    )
    Ward.objects.bulk_create([Ward(resident=r, risk="high") for r in residents], batch_size=2000)
    CommunityReach.objects.create(
        place=community, per_minute_limit=wards + 1, person_daily_limit=10, daily_cap_fen=0
    )
    officer = User.objects.create_user(
        username="street",
        password="bench-password-1",
        role="street_officer",
        place=community.parent,
    )
    return officer, community


def _floor(connection, rows: int) -> float:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE floor_callback (LIKE reach_callback INCLUDING ALL)")
        started = time.perf_counter()
        with connection.cursor() as c2:
            c2.execute("BEGIN")
            c2.executemany(
                "INSERT INTO floor_callback (key, provider, kind, received_at, outcome, detail)"
                " VALUES (%s, 'locmem-voice', 'call', now(), 'applied', 'safe')",
                [(f"k{i}",) for i in range(rows)],
            )
            c2.execute("COMMIT")
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="roll-call benchmark")
    parser.add_argument("--wards", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        port, bodies, clients = json.loads(sys.stdin.read())
        result = _client(port, bodies, clients)
        print(json.dumps(result), flush=True)
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database)")
        return 2
    os.environ["LINLI_REACH_SMS_BACKEND"] = os.environ["LINLI_REACH_VOICE_BACKEND"] = "locmem"
    os.environ["LINLI_REACH_CALLBACK_SECRET"] = SECRET
    import dj_database_url

    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    db_name = f"{base['NAME']}_bench"
    connection = _setup_django(db_name)
    server = None
    try:
        from linli.reach import selectors
        from linli.reach.outbox import send_due
        from linli.reach.services import do_start_rollcall

        secretary, community = _scene(args.wards)
        street = community.parent
        t0 = time.perf_counter()
        rollcall = do_start_rollcall(actor=secretary, place=street, reason="地震", minutes=60)
        queued = time.perf_counter() - t0
        t0 = time.perf_counter()
        sent = 0
        while True:
            counts = send_due(limit=5000)
            sent += counts["sent"]
            if not any(counts.values()):
                break
        dispatch = time.perf_counter() - t0
        keys = list(rollcall.entries.order_by("pk").values_list("messages__key", flat=True))
        bodies = []
        for i, key in enumerate(keys):
            share = i % 10
            if share < 6:
                bodies.append(
                    [
                        "locmem-voice",
                        json.dumps(
                            [
                                {
                                    "call_id": f"a{i}",
                                    "out_id": key,
                                    "status_code": "200000",
                                    "dtmf": "1",
                                }
                            ]
                        ),
                    ]
                )
            elif share < 8:
                bodies.append(
                    [
                        "locmem-voice",
                        json.dumps([{"call_id": f"n{i}", "out_id": key, "status_code": "200005"}]),
                    ]
                )
                bodies.append(
                    [
                        "locmem-voice",
                        json.dumps(
                            [
                                {
                                    "call_id": f"r{i}",
                                    "out_id": key,
                                    "status_code": "200000",
                                    "dtmf": "1",
                                }
                            ]
                        ),
                    ]
                )
        bodies.reverse()  # the client pops from the end: keep the retries after the first call
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + db_name
        server, port = _serve(url, 2, 4)
        board_times: list[float] = []
        stop = threading.Event()

        def read_board() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                selectors.board(rollcall, street)
                board_times.append(time.perf_counter() - started)
                time.sleep(0.2)
            from django.db import connection as thread_connection

            thread_connection.close()

        reader = threading.Thread(target=read_board)
        reader.start()
        try:
            child = subprocess.run(
                [sys.executable, "-m", "bench.reach.run", "--client", "stdin"],
                input=json.dumps([port, [json.dumps(b) for b in bodies], args.clients]),
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            stop.set()
            reader.join()
        result = json.loads(child.stdout)
        t0 = time.perf_counter()
        total, _rows = selectors.board(rollcall, street)
        final = time.perf_counter() - t0
        floor = _floor(connection, len(bodies))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        connection.creation.destroy_test_db(db_name, verbosity=0)
    lat = sorted(result["latencies"])
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    bt = sorted(board_times) or [0.0]
    print(f"wards {args.wards}, load average {os.getloadavg()[0]:.1f}")
    print(f"roll-call started (entries + queued calls): {queued:.2f} s")
    print(
        f"dispatch through locmem: {sent} calls in {dispatch:.2f} s = {sent / dispatch:.0f} calls/s"
    )
    print(
        f"callbacks over HTTP: {len(lat)} in {result['wall_s']:.2f} s = {len(lat) / result['wall_s']:.0f}/s, "
        f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, failures {len(result['failures'])}"
    )
    print(
        f"street board while answers arrive: {len(bt)} reads, p95 {bt[int(0.95 * (len(bt) - 1))] * 1000:.1f} ms; "
        f"final state after the last answer {final * 1000:.1f} ms: {dict(total.counts)}"
    )
    print(
        f"floor: bare INSERT of {len(bodies)} callback rows {floor:.2f} s = {len(bodies) / floor:.0f} rows/s "
        f"(HTTP ingest / floor = {(len(lat) / result['wall_s']) / (len(bodies) / floor):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
