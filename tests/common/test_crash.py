"""Crashes: an import killed while it writes leaves the database exactly as it was, and the
same file imports completely afterwards (SQLite and PostgreSQL, a real ``kill -9``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from linli.domain import idcard
from linli.register.models import Household, Resident, SourceRecord, Vulnerability
from tests.conftest import IN_COMMUNITY

ROWS = 40_000
WRITING = re.compile(rb"(\d+)/(\d+)")


def register_csv(path) -> None:
    """A large, valid register: every row a new person with a room of their own."""
    lines = ["姓名,身份证号,联系电话,单元,房号"]
    first = dt.date(1940, 1, 1)
    for i in range(ROWS):
        born = first + dt.timedelta(days=i % 20_000)
        number = idcard.make("510107", born, 100 + i // 20_000, "M" if i % 2 else "F")
        lines.append(f"测试{i},{number},139{i:08d},{i % 6 + 1}单元,{i}")
    path.write_text("\n".join(lines), encoding="utf-8")


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def snapshot() -> dict[str, int]:
    return {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "vulnerabilities": Vulnerability.objects.count(),
        "sources": SourceRecord.objects.count(),
    }


def start_import(path, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LINLI_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "linli.cli", "import", "residents", str(path)]
    return subprocess.Popen(
        [*command, "--community", IN_COMMUNITY, "--source", "crash"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def writing_label() -> bytes:
    """The progress line's label for the writing stage, in the command's language."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext("writing").encode()


def kill_while_writing(process: subprocess.Popen) -> bytes:
    """Read the progress line until the import has started writing rows, then kill -9."""
    seen = b""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
        tail = seen.rsplit(b"\r", 1)[-1]
        done = WRITING.search(tail)
        if writing_label() in tail and done and 0 < int(done[1]) < int(done[2]):
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            return seen
    process.kill()
    pytest.fail(f"the import never reported writing rows: {seen[-300:]!r}")


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_writing_changes_nothing(tmp_path, live_places):
    path = tmp_path / "register.csv"
    register_csv(path)
    before = snapshot()
    process = start_import(path, tmp_path)
    kill_while_writing(process)
    assert process.returncode == -signal.SIGKILL  # killed, not finished
    assert snapshot() == before

    finished = start_import(path, tmp_path)
    _out, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err.decode()[-500:]
    after = snapshot()
    assert after["residents"] == before["residents"] + ROWS
    assert after["sources"] == before["sources"] + ROWS
