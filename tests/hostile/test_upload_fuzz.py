"""Fuzzing every upload endpoint — each HTTP route that takes a file and each command-line
import — with malformed and oversized xlsx, csv and YAML made by hypothesis (issue 18):
nothing dies, no answer is a 500, and every file refused for its size names the limit.

The examples are bounded (``LINLI_FUZZ_EXAMPLES``, 12 per endpoint by default, the same
cases every run) so the whole file runs in well under a minute; a route that accepts a file
and is not fuzzed here fails :func:`test_every_route_that_takes_a_file_is_fuzzed`."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import os
import struct
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .files import (
    billion_laughs,
    cell,
    playbook_bomb,
    sheet_xml,
    template_bomb,
    two_corners,
    xlsx,
)

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("LINLI_FUZZ_RANDOM") != "1",
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=list(HealthCheck),
    database=None,
)


@dataclass(frozen=True)
class Upload:
    """A file to upload, and the limit its refusal must name (empty: any clear answer)."""

    name: str
    content: bytes
    limit: str = ""


# --- xlsx ------------------------------------------------------------------------------------


def _letters(number: int) -> str:
    from linli.domain.sheets.bounds import column_letters

    return column_letters(number)


far_cells = st.builds(
    lambda row, column, dimension: Upload(
        "台账.xlsx",
        xlsx(
            sheet_xml(
                {1: [cell("A1", "姓名")], row: [cell(f"{_letters(column)}{row}", "x")]},
                dimension=f"A1:{_letters(column)}{row}" if dimension else "",
            )
        ),
        "limit" if row > 500_000 or column > 256 or row * column > 10_000_000 else "",
    ),
    st.integers(2, 1_048_576),
    st.integers(1, 16_384),
    st.booleans(),
)


def _ratio_bomb(megabytes: int) -> Upload:
    return Upload(
        "台账.xlsx", xlsx(sheet_xml({}), {"xl/pad.xml": b"0" * (megabytes * 2**20)}), "limit"
    )


def _many_parts(count: int) -> Upload:
    return Upload(
        "台账.xlsx", xlsx(sheet_xml({}), {f"xl/p{i}.xml": b"" for i in range(count)}), "limit"
    )


def _lying_sizes(declared: int) -> Upload:
    """The central directory says the sheet is ``declared`` bytes; it unpacks to more."""
    content = bytearray(xlsx(sheet_xml({1: [cell("A1", "姓名" * 200)]})))
    entry = content.rfind(b"PK\x01\x02", 0, content.rfind(b"xl/worksheets/sheet1.xml"))
    struct.pack_into("<I", content, entry + 24, declared)  # its uncompressed size
    return Upload("台账.xlsx", bytes(content), "")


def _truncated(at: int) -> Upload:
    whole = xlsx(sheet_xml({1: [cell("A1", "姓名")], 2: [cell("A2", "张三")]}))
    return Upload("台账.xlsx", whole[: at % len(whole)], "")


def _shared_strings(count: int) -> Upload:
    strings = b"<sst>" + b"<si/>" * count + b"</sst>"
    return Upload("台账.xlsx", xlsx(sheet_xml({}), {"xl/sharedStrings.xml": strings}), "limit")


xlsx_files = st.one_of(
    far_cells,
    st.integers(2, 4).map(_ratio_bomb),
    st.integers(1_001, 1_200).map(_many_parts),
    st.integers(0, 50).map(_lying_sizes),
    st.integers(0, 4000).map(_truncated),
    st.integers(2_000_001, 2_100_000).map(_shared_strings),
    st.binary(max_size=600).map(lambda b: Upload("台账.xlsx", b"PK\x03\x04" + b)),
)

# --- csv -------------------------------------------------------------------------------------

hostile_text = st.sampled_from(
    [
        "=cmd|' /C calc'!A0",
        '=HYPERLINK("http://x/","y")',
        "@SUM(1)",
        "\x00",
        "５１０",
        "",
        '"',
        "a\nb",
    ]
)
csv_files = st.one_of(
    st.lists(st.lists(hostile_text | st.text(max_size=12), max_size=6), max_size=6).map(
        lambda rows: Upload(
            "台账.csv", ("姓名,身份证号\n" + "\n".join(",".join(r) for r in rows)).encode()
        )
    ),
    st.integers(257, 400).map(
        lambda n: Upload("台账.csv", ("姓名" + "," * n + "\n").encode(), "limit")
    ),
    st.just(Upload("台账.csv", "姓名\n".encode() + b"a\n" * 500_001, "limit")),
    st.integers(131_073, 140_000).map(lambda n: Upload("台账.csv", b'"' + b"x" * n + b'"\n', "")),
    st.binary(max_size=400).map(lambda b: Upload("台账.csv", b)),
)

# --- YAML ------------------------------------------------------------------------------------

yaml_files = st.one_of(
    st.integers(1, 9).map(lambda n: Upload("f.yaml", billion_laughs(n).encode(), "aliases")),
    st.integers(33, 300).map(lambda n: Upload("f.yaml", ("[" * n + "]" * n).encode(), "limit")),
    st.just(Upload("f.yaml", ("[" + "1," * 100_001 + "]").encode(), "limit")),
    st.text(max_size=300).map(lambda t: Upload("f.yaml", t.encode())),
    st.binary(max_size=300).map(lambda b: Upload("f.yaml", b)),
    st.sampled_from(
        ["a: 2026-01-01", "!!python/object:os.system x", "? [1]\n: 2", "{1: a, b: c}"]
    ).map(lambda t: Upload("f.yaml", t.encode())),
)
playbook_files = yaml_files | st.integers(1, 9).map(
    lambda n: Upload("p.yaml", playbook_bomb(n).encode(), "aliases")
)
template_files = yaml_files | st.integers(2, 9).map(
    lambda n: Upload("t.yaml", template_bomb(n).encode(), "aliases")
)
any_file = xlsx_files | csv_files | yaml_files


def stored(limit_mb: int | None):
    """Files an endpoint keeps without reading them: any file, and one over its size limit."""
    files = any_file.map(lambda u: Upload(u.name, u.content))
    if limit_mb is None:
        return files
    big = Upload("big.xlsx", b"PK\x03\x04" + b"0" * (limit_mb * 2**20), f"at most {limit_mb} MB")
    return files | st.just(big)


# Every kind of hostile file once, whatever hypothesis draws.
XLSX_CORPUS = [
    Upload("台账.xlsx", two_corners(), "limit"),
    _ratio_bomb(2),
    _many_parts(1_001),
    _lying_sizes(10),
    _truncated(700),
]
CSV_CORPUS = [
    Upload("台账.csv", ("姓名" + "," * 300 + "\n").encode(), "limit"),
    Upload("台账.csv", "姓名\n".encode() + b"a\n" * 500_001, "limit"),
]
YAML_CORPUS = [
    Upload("f.yaml", billion_laughs().encode(), "aliases"),
    Upload("f.yaml", ("[" * 40 + "]" * 40).encode(), "limit"),
]


# --- the endpoints ---------------------------------------------------------------------------


@pytest.fixture
def scene(make_user, inside, settings, tmp_path):
    """A task force with a group and a task, a ward, and one account per role needed."""
    from linli.taskforce import playbook_services as books
    from linli.taskforce.services import do_create_task

    settings.LINLI_JOBS = "eager"
    settings.MEDIA_ROOT = str(tmp_path / "media")  # contact photos, kept out of the code
    secretary = make_user("community_secretary")
    taskforce = books.do_adopt_playbook(
        actor=secretary, community=inside.community, version=books.builtin().latest()
    )
    group = taskforce.groups.first()
    task = do_create_task(actor=secretary, taskforce=taskforce, title="巡查", group=group)
    users = {r: make_user(r) for r in ("grid_worker", "system_admin")} | {"secretary": secretary}
    stop, carrier = _delivery_stop(inside, make_user, secretary)
    users["carrier"] = carrier
    return {"n": inside, "group": group, "task": task, "users": users, "stop": stop}


def _delivery_stop(inside, make_user, secretary):
    """A ward's order packed, routed and taken by her guardian: the stop whose proof of
    delivery (a photo) is uploaded."""
    from linli.deliveries.models import Run
    from linli.deliveries.services import (
        Line,
        do_pack_from_stock,
        do_place_order,
        do_plan_runs,
        do_take_run,
    )
    from tests.deliveries.conftest import make_sealed

    sealed = make_sealed(inside, make_user)
    order = do_place_order(
        actor=sealed.guardian_user,
        ward=inside.ward,
        lines=[Line(sealed.rice, "", 1)],
        payer="subsidy",
        urgency="normal",
    )
    do_pack_from_stock(actor=secretary, location=sealed.location, orders=[order])
    do_plan_runs(actor=secretary, community=inside.community)
    run = Run.objects.get()
    do_take_run(actor=sealed.guardian_user, run=run)
    return run.stops.get(), sealed.guardian_user


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def check_answer(response, upload: Upload, client: Client) -> None:
    assert response.status_code < 500, (upload.name, upload.content[:80])
    body = response.content.decode(errors="replace")
    if response.status_code in (301, 302):
        body = client.get(response["Location"]).content.decode(errors="replace")
    if upload.limit:
        assert upload.limit in body, (upload.name, upload.content[:80], body[-2000:])


def _plain(uploads: list[Upload]) -> list[Upload]:
    return [Upload(u.name, u.content) for u in uploads]


@dataclass(frozen=True)
class Route:
    role: str
    kwargs: Callable[[dict], dict]
    field: str  # the file's form field
    fields: dict  # the other fields of the form
    files: st.SearchStrategy  # what hypothesis draws
    corpus: list[Upload]  # the fixed hostile files, sent too


ANY_CORPUS = _plain(XLSX_CORPUS + CSV_CORPUS + YAML_CORPUS)
ROUTES = {
    "register:import_upload": Route(
        "grid_worker",
        lambda s: {},
        "file",
        {"source": "fuzz"},
        xlsx_files | csv_files,
        XLSX_CORPUS + CSV_CORPUS,
    ),
    "reports:upload": Route(
        "system_admin",
        lambda s: {},
        "file",
        {"place": "5101"},
        template_files,
        [*YAML_CORPUS, Upload("t.yaml", template_bomb().encode(), "aliases")],
    ),
    "taskforce:import": Route(
        "secretary",
        lambda s: {"code": s["n"].community.code},
        "file",
        {},
        playbook_files,
        [*YAML_CORPUS, Upload("p.yaml", playbook_bomb().encode(), "aliases")],
    ),
    "taskforce:add_template": Route(
        "secretary",
        lambda s: {"pk": s["group"].pk},
        "file",
        {"title": "表"},
        stored(2),
        ANY_CORPUS,
    ),
    "taskforce:comment": Route(
        "secretary", lambda s: {"pk": s["task"].pk}, "file", {}, stored(5), ANY_CORPUS
    ),
    "deliveries:delivered": Route(
        "carrier", lambda s: {"pk": s["stop"].pk}, "photo", {}, stored(None), ANY_CORPUS
    ),
    "guardianship:log_contact": Route(
        "secretary",
        lambda s: {"pk": s["n"].ward.pk},
        "photo",
        {"method": "visit"},
        stored(None),
        ANY_CORPUS,
    ),
}


@pytest.mark.parametrize("name", ROUTES)
def test_an_upload_route_never_dies_or_answers_500_and_names_the_limit(
    name, scene, django_capture_on_commit_callbacks
):
    route = ROUTES[name]
    client = client_for(scene["users"][route.role])
    url = reverse(name, kwargs=route.kwargs(scene))

    def send(upload: Upload) -> None:
        # The checking job runs as it would after the upload (in this process: a reader
        # that killed its process would kill the test run).
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {**route.fields, route.field: SimpleUploadedFile(upload.name, upload.content)}
            )
        check_answer(response, upload, client)

    for upload in route.corpus:
        send(upload)
    given(upload=route.files)(FUZZ(send))()


def test_every_route_that_takes_a_file_is_fuzzed():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix
                )
            elif isinstance(p, URLPattern) and p.name:
                yield f"{prefix}{p.name}", inspect.unwrap(p.callback)

    takes_files = set()
    for name, view in walk(get_resolver().url_patterns):
        if not getattr(view, "__module__", "").startswith("linli."):
            continue  # Django's own admin keeps files of models only (a contact's photo)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "request.FILES" in source or "_file(request" in source:
            takes_files.add(name)
    assert takes_files and takes_files <= set(ROUTES), takes_files - set(ROUTES)


# --- the command-line imports ----------------------------------------------------------------


def run_cli(main, argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with translation.override("en"), redirect_stdout(out), redirect_stderr(out):
        try:
            code = main(argv)
        except SystemExit as error:  # argparse
            code = error.code if isinstance(error.code, int) else 2
    return int(code or 0), out.getvalue()


def test_the_import_commands_never_die_and_name_the_limit(scene, tmp_path):
    from linli.register.cli import main as import_main
    from linli.reports.cli import main as report_main
    from linli.taskforce.cli import main as playbook_main

    code = scene["n"].community.code
    out = str(tmp_path / "out")
    commands = [
        (import_main, ["residents", "FILE", "--community", code, "--dry-run", "--quiet"]),
        (playbook_main, ["import", "FILE", "--community", code]),
        (report_main, ["FILE", "--place", code, "--output", out, "--reason", "fuzz"]),
    ]
    kinds = [
        (xlsx_files | csv_files, XLSX_CORPUS + CSV_CORPUS),
        (playbook_files, YAML_CORPUS),
        (template_files, YAML_CORPUS),
    ]

    def runner(main, argv):
        def run(upload: Upload) -> None:
            path = tmp_path / upload.name
            path.write_bytes(upload.content)
            status, said = run_cli(main, [str(path) if a == "FILE" else a for a in argv])
            assert status in (0, 1, 2), said
            if upload.limit:
                assert status == 2 and upload.limit in said, said

        return run

    for (main, argv), (files, corpus) in zip(commands, kinds, strict=True):
        run = runner(main, argv)
        for upload in corpus:
            run(upload)
        given(upload=files)(FUZZ(run))()
