"""The deployment recipe (docs/deploy.md), run as written where this machine allows:
production settings, migrate, collectstatic, the web unit's gunicorn command, the health
check, JSON logs, a backup and its restore. PostgreSQL only (the recipe's database)."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not URL.startswith("postgres"), reason="the recipe runs on PostgreSQL (the PostgreSQL pass)"
)


def admin_sql(sql: str) -> None:
    import psycopg

    # The server's maintenance database: DATABASE_URL may name one pytest has not made yet.
    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql)


def recipe_env(tmp_path: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_"))}
    for line in (ROOT / "deploy/linli.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    base = URL.rsplit("/", 1)[0]
    env.update(
        SECRET_KEY="t" * 40 + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"{base}/{database}",
        LINLI_DATA_DIR=str(tmp_path / "data"),
        STATIC_ROOT=str(tmp_path / "static"),
        LINLI_JOBS="thread",  # the recipe's Celery workers are tested with the job tests
    )
    return env


def run(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    args = shlex.split(command.replace("/opt/linli/.venv/bin/", f"{BIN}/"))
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return result


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), dict(error.headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_recipe_deploys_serves_and_backs_up(tmp_path):
    database = f"linli_recipe_{uuid.uuid4().hex[:8]}"
    restored = f"{database}_restored"
    admin_sql(f"CREATE DATABASE {database}")
    server = None
    try:
        env = recipe_env(tmp_path, database)
        run("/opt/linli/.venv/bin/linli manage check --deploy --fail-level WARNING", env)
        run("/opt/linli/.venv/bin/linli manage migrate --noinput", env)
        run("/opt/linli/.venv/bin/linli manage collectstatic --noinput", env)
        assert "places: 3" in run("/opt/linli/.venv/bin/linli manage load_divisions", env).stdout

        unit = (ROOT / "deploy/systemd/linli-web.service").read_text()
        # systemd writes a literal % as %%
        command = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1).replace("%%", "%")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        command = command.replace("127.0.0.1:8001", f"127.0.0.1:{port}").replace(
            "--workers 4", "--workers 2"
        )
        args = shlex.split(command.replace("/opt/linli/.venv/bin/", f"{BIN}/"))
        server = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, body, _headers = get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "postgresql"})
        status, _body, headers = get(f"{base}/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")  # HTTPS only
        status, body, headers = get(f"{base}/accounts/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200 and "Strict-Transport-Security" in headers
        css = re.search(r'href="(/static/[^"]+\.css)"', body).group(1)
        assert get(f"{base}{css}", {"X-Forwarded-Proto": "https"})[0] == 200
        https = {"X-Forwarded-Proto": "https"}
        assert get(f"{base}/nothing-here/", https)[0] == 404  # Django logs a warning
        get(f"{base}/register/?q=%E5%BC%A0%E4%B8%89", https)  # a search for 张三

        backups = tmp_path / "backups"
        dump = run(f"{ROOT}/deploy/backup.sh {backups} 14", env).stdout.strip()
        assert Path(dump).exists() and oct(Path(dump).stat().st_mode)[-3:] == "600"
        admin_sql(f"CREATE DATABASE {restored}")
        base_url = URL.rsplit("/", 1)[0]
        restored_env = dict(env, DATABASE_URL=f"{base_url}/{restored}")
        out = run(f"/opt/linli/.venv/bin/linli restore {dump}", restored_env).stdout
        assert "every count and checksum matches" in out
        import psycopg

        with psycopg.connect(f"{base_url}/{restored}") as connection:
            places = connection.execute("SELECT count(*) FROM places_place").fetchone()[0]
        assert places > 3000  # the whole of Chengdu came back
    finally:
        try:
            if server is not None:
                server.terminate()
                out, err = server.communicate(timeout=20)
                assert '"GET /register/" 302' in out and "张三" not in out + err  # no query strings
                lines = [line for line in err.splitlines() if line.startswith("{")]
                assert lines, err[-2000:]
                records = [json.loads(line) for line in lines]  # structured: JSON per line
                assert {"time", "level", "logger", "message"} <= set(records[0])
                assert any(r["message"] == "Not Found: /nothing-here/" for r in records)
        finally:
            admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            admin_sql(f"DROP DATABASE IF EXISTS {restored} WITH (FORCE)")
