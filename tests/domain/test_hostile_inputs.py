"""Hypothesis fuzzing of every file and JSON input a person or client can hand Linli: the
register importer, the department-form template format, the guardianship scenario JSON and
the rostering benchmark file. Whatever comes in, the answer is a result or the module's own
clear error (which names where), never a crash."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.domain.forms.model import TemplateError
from linli.domain.forms.parse import parse_template
from linli.domain.matching import ScenarioError, parse_scenario
from linli.domain.register_import.headers import ALIASES
from linli.domain.register_import.parse import parse_table
from linli.domain.register_import.read import TableError, read_table
from linli.domain.rostering.io import FormatError, parse_instance

ROOT = Path(__file__).resolve().parents[2]
# CI runs the same cases every time (derandomize); LINLI_FUZZ_RANDOM=1 and a larger
# LINLI_FUZZ_EXAMPLES explore further, e.g. before a release.
FUZZ = settings(
    max_examples=int(os.environ.get("LINLI_FUZZ_EXAMPLES", "150")),
    derandomize=os.environ.get("LINLI_FUZZ_RANDOM") != "1",
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

# The nastiest things a spreadsheet cell can hold: formulas, control characters,
# full-width digits, 15-digit IDs, huge numbers, dates in odd shapes, empty strings.
cell_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+1-1",
            "@SUM(A1)",
            "５１０１０７１９８０",
            "510107800101001",
            "51010719800101001X",
            "1e309",
            "-0",
            "1900-02-29",
            "2026/13/45",
            "\x00\x1b[31m",
            "男女",
            "",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
headers = st.lists(
    st.one_of(
        st.sampled_from([n for names in ALIASES.values() for n in names]), st.text(max_size=8)
    ),
    min_size=1,
    max_size=12,
)


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def read_and_parse(content: bytes, name: str) -> None:
    try:
        table = read_table(content, name)
    except TableError as error:
        assert str(error)  # says why
        return
    parsed = parse_table(table)
    for row in parsed.rows:
        for problem in row.errors:
            assert problem.row >= 1 and problem.code  # where and what


@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a"]))
def test_register_file_of_random_bytes(content, name):
    read_and_parse(content, name)


@FUZZ
@given(
    header=headers,
    rows=st.lists(st.lists(cell_text, max_size=14), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]),
)
def test_register_csv_with_hostile_cells(header, rows, encoding):
    read_and_parse(csv_bytes(header, rows, encoding), "register.csv")


@FUZZ
@given(content=st.binary(min_size=4, max_size=3000))
def test_register_xlsx_that_is_a_broken_zip(content):
    read_and_parse(b"PK\x03\x04" + content, "register.xlsx")


# --- department-form templates -------------------------------------------------------------

BUILT_IN = sorted((ROOT / "src/linli/reports/forms").glob("*.yaml"))
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def parse_or_refuse(text: str) -> None:
    try:
        parse_template(text)
    except TemplateError as error:
        assert str(error)


@FUZZ
@given(text=st.text(max_size=500))
def test_template_of_random_text(text):
    parse_or_refuse(text)


@FUZZ
@given(
    which=st.sampled_from(BUILT_IN),
    path=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=4),
    value=yaml_values,
)
def test_built_in_template_with_one_value_replaced(which, path, value):
    """Real templates with one key or item anywhere in the tree replaced by anything."""
    data = yaml.safe_load(which.read_text(encoding="utf-8"))
    replace_at(data, path, value)
    parse_or_refuse(yaml.safe_dump(data, allow_unicode=True))


def replace_at(node, path: list[int], value) -> None:
    for depth, step in enumerate(path):
        if isinstance(node, dict) and node:
            key = sorted(node, key=str)[step % len(node)]
            if depth == len(path) - 1 or not isinstance(node[key], dict | list):
                node[key] = value
                return
            node = node[key]
        elif isinstance(node, list) and node:
            i = step % len(node)
            if depth == len(path) - 1 or not isinstance(node[i], dict | list):
                node[i] = value
                return
            node = node[i]
        else:
            return


# --- guardianship scenario JSON ---------------------------------------------------------------

SCENARIO = {
    "wards": [
        {"id": "w1", "compound": "c1", "x": 0, "y": 0, "sex": "F", "minor": False, "needs": []},
        {
            "id": "w2",
            "compound": "c1",
            "x": 5,
            "y": 5,
            "sex": "M",
            "minor": True,
            "needs": ["sign_language"],
        },
    ],
    "volunteers": [
        {
            "id": "v1",
            "compound": "c1",
            "passes": [],
            "x": 1,
            "y": 1,
            "sex": "F",
            "vetted": True,
            "skills": ["sign_language"],
            "capacity": 3,
            "backup_capacity": 3,
            "status": "active",
        }
    ],
    "sealed": [],
    "current": [{"ward": "w1", "primary": "v1", "backup": None}],
    "pinned": [{"ward": "w2", "role": "primary", "volunteer": "v1"}],
    "weights": {"backup_distance": 0.5, "change": 5.0},
}
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=10),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def parse_or_say_where(data) -> None:
    try:
        parse_scenario(data)
    except ScenarioError as error:
        assert str(error)


@FUZZ
@given(data=json_values)
def test_scenario_of_any_json(data):
    parse_or_say_where(data)


@FUZZ
@given(
    path=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=4), value=json_values
)
def test_valid_scenario_with_one_value_replaced(path, value):
    data = copy.deepcopy(SCENARIO)
    replace_at(data, path, value)
    parse_or_say_where(json.loads(json.dumps(data)))


# --- rostering benchmark files ----------------------------------------------------------------

INSTANCE = (ROOT / "bench/rostering/data/Instance1.txt").read_text(encoding="utf-8")
LINES = INSTANCE.splitlines()


def parse_or_format_error(text: str) -> None:
    try:
        parse_instance(text, "fuzz.txt")
    except FormatError as error:
        assert "fuzz.txt" in str(error)  # the file (and line) is named


@FUZZ
@given(text=st.text(max_size=400))
def test_instance_of_random_text(text):
    parse_or_format_error(text)


@FUZZ
@given(
    line=st.integers(min_value=0, max_value=len(LINES) - 1),
    replacement=st.one_of(
        cell_text, st.just(""), st.text(alphabet=",0123456789-.ABCDE ", max_size=30)
    ),
)
def test_real_instance_with_one_line_replaced(line, replacement):
    lines = list(LINES)
    lines[line] = replacement
    parse_or_format_error("\n".join(lines))


def test_references_that_are_not_ids_are_named_not_crashed_on():
    """Found by the fuzzing above: a list where an id belongs used to raise TypeError."""
    cases = [
        ("current", [{"ward": ["w1"], "primary": "v1"}], "current[0].ward"),
        ("current", [{"ward": "w1", "primary": {"id": "v1"}}], "current[0].primary"),
        ("pinned", [{"ward": "w2", "role": "primary", "volunteer": ["v1"]}], "pinned[0].volunteer"),
        ("sealed", [["c1"]], "sealed[0]"),
    ]
    for key, value, where in cases:
        data = copy.deepcopy(SCENARIO) | {key: value}
        try:
            parse_scenario(data)
        except ScenarioError as error:
            assert where in str(error)
        else:
            raise AssertionError(f"{key}={value!r} was accepted")
