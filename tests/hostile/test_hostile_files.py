"""Issue 18, items 4 and 6 (YAML): the exploit files themselves, against the readers and
through the upload pages. Where old Linli died or ran away (the xlsx aborted the process,
the YAML ran for minutes or out of memory) the reader runs in a subprocess with a time and
memory limit, so these tests fail on old Linli without taking the test runner with it."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .files import billion_laughs, playbook_bomb, template_bomb, two_corners

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 2 * 1024**3  # enough for any honest reader of these files; old Linli needed more


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_isolated(code: str, data: bytes, timeout: float = 20) -> subprocess.CompletedProcess:
    """``code`` reads the file's bytes from stdin, in a child process with 2 GB and
    ``timeout`` seconds; a crash or a hang is the child's, reported as its exit status."""
    try:
        return subprocess.run(
            [sys.executable, "-c", code],
            input=data,
            capture_output=True,
            timeout=timeout,
            preexec_fn=_limit_memory,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout} s")


READ_XLSX = """
import sys
from linli.domain.register_import import TableError, read_table
try:
    read_table(sys.stdin.buffer.read(), "台账.xlsx")
except TableError as error:
    print("refused:", error)
"""


def test_the_two_corner_xlsx_is_refused_before_it_is_parsed_and_nothing_dies():
    started = time.monotonic()
    done = run_isolated(READ_XLSX, two_corners())
    assert done.returncode == 0, f"the reader died (status {done.returncode})"
    out = done.stdout.decode()
    assert "refused:" in out and "XFD1048576" in out and "limit of 500000 rows" in out
    assert time.monotonic() - started < 10


def test_a_file_past_the_checks_ends_the_child_process_not_this_one():
    """The second line of defence: calamine itself, given the file without the checks, in
    its child process with the memory limit — the child ends, the refusal names the limit."""
    from linli.domain.sheets import LIMITS, TableError
    from linli.domain.sheets.read import _read_xlsx

    with pytest.raises(TableError) as refused:
        _read_xlsx(two_corners(), LIMITS)
    assert refused.value.code == "parse_memory"
    assert "more than 3072 MB of memory" in str(refused.value)


LOAD_PLAYBOOK = """
import sys
from linli.domain.playbooks.fileformat import PlaybookFileError, load
try:
    load(sys.stdin.buffer.read())
except PlaybookFileError as error:
    print("refused:", error)
"""
PARSE_TEMPLATE = """
import sys
from linli.domain.forms import TemplateError, parse_template
try:
    parse_template(sys.stdin.buffer.read())
except TemplateError as error:
    print("refused:", error)
"""


@pytest.mark.parametrize(
    "code, text",
    [(LOAD_PLAYBOOK, playbook_bomb()), (PARSE_TEMPLATE, template_bomb())],
    ids=["playbook", "form-template"],
)
def test_a_billion_laughs_is_refused_at_its_first_alias_in_well_under_a_second(code, text):
    started = time.monotonic()
    done = run_isolated(code, text.encode(), timeout=15)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    out = done.stdout.decode()
    assert "refused:" in out and "anchors and aliases" in out, out
    assert time.monotonic() - started < 5


def test_the_safe_loader_refuses_before_anything_is_built():
    from linli.domain import safeyaml

    for text, code in [
        (billion_laughs(), "alias"),
        ("a: &x 1\n", "alias"),  # an anchor alone: refused too, nothing needs one
        ("[" * 40 + "]" * 40, "depth"),
        ("[" + "1," * (safeyaml.MAX_NODES + 1) + "]", "nodes"),
    ]:
        with pytest.raises(safeyaml.YamlRefused) as refused:
            safeyaml.load(text)
        assert refused.value.code == code and refused.value.line == 1
    # What Linli writes it reads back: a value used twice is written twice, never aliased.
    shared = ["甲", "乙"]
    assert safeyaml.load(safeyaml.dump({"a": shared, "b": shared})) == {"a": shared, "b": shared}


# --- through the upload pages (SQLite and PostgreSQL) ---------------------------------------


@pytest.fixture
def english_client():
    return Client(headers={"accept-language": "en"})


@pytest.mark.django_db
def test_a_grid_worker_uploading_the_two_corner_xlsx_is_told_the_limit(
    make_user, inside, english_client
):
    from linli.register.models import ImportRun

    worker = make_user("grid_worker")
    english_client.force_login(worker)
    response = english_client.post(
        reverse("register:import_upload"),
        {"file": SimpleUploadedFile("台账.xlsx", two_corners()), "source": "民政"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "XFD1048576" in body and "limit of 500000 rows and 256 columns" in body
    chinese = Client()  # zh-hans, the default
    chinese.force_login(worker)
    again = chinese.post(
        reverse("register:import_upload"),
        {"file": SimpleUploadedFile("台账.xlsx", two_corners()), "source": "民政"},
    )
    assert again.status_code == 400
    assert "超过 500000 行、256 列的上限" in again.content.decode()
    assert not ImportRun.objects.exists()  # refused before it is kept or parsed


@pytest.mark.django_db
def test_a_playbook_bomb_is_refused_on_the_import_page_and_changes_nothing(
    make_user, inside, english_client
):
    from linli.taskforce.models import Playbook, PlaybookVersion
    from linli.taskforce.playbook_services import ensure_builtin_playbooks

    ensure_builtin_playbooks()  # the pages install them on first view
    english_client.force_login(make_user("community_secretary"))
    before = (Playbook.objects.count(), PlaybookVersion.objects.count())
    started = time.monotonic()
    response = english_client.post(
        reverse("taskforce:import", args=[inside.community.code]),
        {"file": SimpleUploadedFile("playbook.yaml", playbook_bomb().encode())},
        follow=True,
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "anchors and aliases" in response.content.decode()
    assert (Playbook.objects.count(), PlaybookVersion.objects.count()) == before


@pytest.mark.django_db
def test_a_template_bomb_is_refused_on_the_upload_page_with_its_line(make_user, english_client):
    from linli.reports.models import FormDefinition

    english_client.force_login(make_user("system_admin"))
    started = time.monotonic()
    response = english_client.post(
        reverse("reports:upload"),
        {"file": SimpleUploadedFile("form.yaml", template_bomb().encode()), "place": "5101"},
    )
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    body = response.content.decode()
    assert "anchors and aliases" in body and "line 6" in body
    assert not FormDefinition.objects.exists()
