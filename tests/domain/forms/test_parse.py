"""Template parsing: good templates become FormTemplate; bad ones name the key and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from linli.domain.forms import TemplateError, parse_template

BUILT_IN = Path(__file__).parents[3] / "src/linli/reports/forms"

GOOD = """\
name: 测试表
title: "{place}测试表（{date:%Y年%m月%d日}）"
dataset: people
columns:
  - {header: 序号, value: serial}
  - {header: [基本情况, 姓名], value: name, total: count}
  - {header: [基本情况, 年龄], value: age(birth_date)}
"""


def problems_of(text: str) -> list[tuple[str, int | None, str]]:
    with pytest.raises(TemplateError) as caught:
        parse_template(text)
    return [(p.key, p.line, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("path", sorted(BUILT_IN.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_built_in_template_parses(path):
    template = parse_template(path.read_text(encoding="utf-8"))
    assert template.columns[0].header == ("序号",)
    assert template.columns[0].value == "serial"
    assert template.below == (("填报人：", "审核人：", "联系电话："),)


def test_a_good_template_is_read_with_its_levels_of_header():
    template = parse_template(GOOD)
    assert template.name == "测试表"
    assert template.header_depth == 2
    assert [c.header for c in template.columns][1] == ("基本情况", "姓名")
    assert template.sheet == "测试表"


def test_an_unknown_field_names_the_column_key_and_its_line():
    text = GOOD.replace("age(birth_date)", "age(birthday)")
    [(key, line, message)] = problems_of(text)
    assert key == "columns[2].value"
    assert line == 7
    assert "unknown field 'birthday'" in message


def test_an_unknown_function_is_refused():
    [(key, line, message)] = problems_of(GOOD.replace("age(birth_date)", "eval(name)"))
    assert (key, line) == ("columns[2].value", 7)
    assert "unknown function 'eval'" in message


def test_python_code_is_not_an_expression():
    [(_key, _line, message)] = problems_of(GOOD.replace("age(birth_date)", "name.__class__"))
    assert "only a field name" in message


def test_schema_errors_name_every_bad_key_with_its_line():
    text = GOOD.replace("dataset: people", "dataset: people\nsheeet: x\nperiod_days: 0")
    found = problems_of(text)
    assert ("", 1) in [(k, line) for k, line, _ in found] or any("sheeet" in m for *_, m in found)
    assert any(k == "period_days" and line == 5 for k, line, _ in found)
    unknown = next(m for k, _line, m in found if "unknown key" in m)
    assert "sheeet" in unknown


def test_a_missing_required_key_is_reported():
    found = problems_of(GOOD.replace("dataset: people\n", ""))
    assert any("'dataset' is a required property" in m for *_, m in found)


def test_a_bad_total_kind_names_its_column():
    found = problems_of(GOOD.replace("total: count", "total: average"))
    assert [(k, line) for k, line, _ in found] == [("columns[1].total", 6)]


def test_broken_yaml_gives_the_line():
    [(key, line, message)] = problems_of(GOOD + "  - {header: [x, value: y}\n")
    assert key == "" and line == 8 and "not valid YAML" in message


def test_an_unknown_placeholder_in_the_title_is_refused():
    [(key, line, message)] = problems_of(GOOD.replace("{place}测试表", "{community}测试表"))
    assert (key, line) == ("title", 2)
    assert "{place} and {date}" in message


def test_a_filter_on_an_unknown_field_is_refused():
    text = GOOD + "filter:\n  - {field: colour, equals: red}\n"
    [(key, line, _message)] = problems_of(text)
    assert (key, line) == ("filter[0].field", 9)


def test_the_documented_schema_is_the_one_checked():
    import json
    import re

    from linli.domain.forms.schema import TEMPLATE_SCHEMA

    doc = (Path(__file__).parents[3] / "docs/forms.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", doc, re.S).group(1)
    assert json.loads(block) == TEMPLATE_SCHEMA
