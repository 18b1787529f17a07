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


# --- a guardianship plan killed while it writes its assignments -------------------------

PAUSE_AT = 5  # assignment rows written before the child stops and waits to be killed
WARDS = 40

# The child runs ``linli match --community CODE`` with one change: after PAUSE_AT assignment
# rows are written, it says so and waits. It is then killed with SIGKILL, in the middle of
# the plan's write (the rows written, the rest, the gaps and the snapshot still to come).
PAUSED_PLAN = """
import sys, time
from linli.cli import main, setup_django
setup_django()
from linli.guardianship import replan
from linli.guardianship.models import Assignment
record_changes = replan.record_changes
def paused(model, changes, **kwargs):
    # The plan's assignment rows are written (in bulk), their audit rows not yet.
    changes = list(changes)
    record_changes(model, changes, **kwargs)
    if model is Assignment and len(changes) >= {pause}:
        print("paused after", len(changes), "rows", flush=True)
        time.sleep(600)
replan.record_changes = paused
sys.exit(main(["match", "--community", "{code}"]))
"""


def guardianship_scene():
    """A community with WARDS wards and their guardians planned, then half of the primary
    guardians fallen sick: the next plan has many assignments to change."""
    from linli.guardianship.models import Assignment, Trigger, Volunteer
    from linli.guardianship.replan import do_replan_community
    from linli.register.models import Resident, Ward
    from tests.conftest import build_neighbourhood

    n = build_neighbourhood(IN_COMMUNITY, "甲")
    for i in range(WARDS):
        resident = Resident.objects.create(place=n.building, name=f"监护{i}", sex="F")
        Ward.objects.create(resident=resident, risk="high", needs=["meals"])
    for i in range(WARDS):
        Volunteer.objects.create(place=n.compound, name=f"志愿{i}", capacity=2, backup_capacity=2)
    do_replan_community(community=n.community, trigger=Trigger.BY_HAND, actor=None)
    primaries = Assignment.objects.filter(role="primary").values_list("volunteer_id", flat=True)
    sick = sorted(set(primaries))[::2]
    Volunteer.objects.filter(pk__in=sick).update(status="sick")
    return n


def plan_snapshot() -> dict[str, list]:
    from linli.guardianship.models import Assignment, CoverageSnapshot, Gap

    return {
        "assignments": list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "ward_id", "role", "volunteer_id", "pinned", "since"
            )
        ),
        "gaps": list(Gap.objects.order_by("pk").values_list("pk", "ward_id", "role")),
        "snapshots": list(CoverageSnapshot.objects.values_list("pk", flat=True)),
    }


def start_paused_plan(code: str, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "LINLI_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    code_text = PAUSED_PLAN.replace("{pause}", str(PAUSE_AT)).replace("{code}", code)
    return subprocess.Popen(
        [sys.executable, "-c", code_text], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.django_db(transaction=True)
def test_a_plan_killed_while_writing_its_assignments_changes_nothing(tmp_path, live_places):
    from linli.guardianship.models import Trigger
    from linli.guardianship.replan import do_replan_community

    n = guardianship_scene()
    before = plan_snapshot()
    assert len(before["assignments"]) >= WARDS  # a plan to be changed

    process = start_paused_plan(n.community.code, tmp_path)
    line = process.stdout.readline()  # blocks until the child has written PAUSE_AT rows
    if not line.startswith(b"paused after"):
        process.kill()
        pytest.fail(f"the plan never wrote {PAUSE_AT} rows: {line!r} {process.stderr.read()!r}")
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert process.returncode == -signal.SIGKILL
    assert plan_snapshot() == before  # the rows it wrote went with it

    # The same plan, run to its end, changes more rows than the killed one had written.
    result = do_replan_community(community=n.community, trigger=Trigger.BY_HAND, actor=None)
    assert len(result.changed) > PAUSE_AT
    assert plan_snapshot()["assignments"] != before["assignments"]
