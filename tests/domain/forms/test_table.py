"""Building a table: filters, expressions, grouping with subtotals, totals, header merges;
and rendering it (xlsx read back with openpyxl, csv, HXL)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from linli.domain import idcard
from linli.domain.disclosure import mask_id_number
from linli.domain.forms import build_table, parse_template
from linli.domain.forms.model import FormContext
from linli.domain.forms.render import render
from linli.domain.forms.table import layout_header

TEMPLATE = """\
name: 测试
title: "{place}名单（{date:%Y年%m月%d日}）"
dataset: people
filter:
  - {field: categories, any_of: [subsistence, home_quarantine]}
group_by: {field: community, subtotal: "{group}小计"}
totals: {label: 合计}
above:
  - ["填报单位：{place}", "日期：{date}"]
columns:
  - {header: 序号, value: serial, hxl: "#meta+serial"}
  - {header: [基本情况, 姓名], value: name, total: count, hxl: "#affected+name"}
  - {header: [基本情况, 身份证号], value: mask_id(id_number), hxl: "#affected+id"}
  - {header: [基本情况, 年龄], value: age(birth_date), unit: 岁, hxl: "#affected+age"}
  - {header: [隔离, 天数], value: days_since(quarantine_start), total: sum, hxl: "#affected+days"}
  - {header: [隔离, 是否有监护人], value: yes_no(has_guardian), hxl: "#status"}
  - {header: 类别, value: label(categories), hxl: "#affected+type"}
  - {header: 性别, value: sex, map: {M: 男, F: 女}}
below:
  - ["填报人：", "审核人："]
"""
DAY = dt.date(2026, 3, 10)
ID = idcard.make("510107", dt.date(1950, 3, 11), 3, idcard.FEMALE)


def person(name, community, categories, **extra):
    return {
        "name": name,
        "community": community,
        "categories": categories,
        "id_number": ID,
        "birth_date": dt.date(1950, 3, 11),
        "quarantine_start": None,
        "has_guardian": False,
        "sex": "F",
        **extra,
    }


ROWS = [
    person("李四", "甲社区", ["home_quarantine"], quarantine_start=dt.date(2026, 3, 1)),
    person("张三", "乙社区", ["subsistence"], has_guardian=True),
    person("王五", "甲社区", ["elderly_alone"]),  # filtered out
    person("赵六", "甲社区", ["subsistence", "home_quarantine"], quarantine_start=DAY),
]
LABELS = {"subsistence": "低保", "home_quarantine": "居家隔离"}


def table(full_id=False):
    context = FormContext(place="某街道", date=DAY, labels=LABELS, full_id=full_id)
    return build_table(parse_template(TEMPLATE), ROWS, context)


def test_rows_are_filtered_grouped_numbered_and_totalled():
    t = table()
    kinds = [r.kind for r in t.rows]
    assert kinds == ["data", "data", "subtotal", "data", "subtotal", "total"]
    names = [r.cells[1] for r in t.rows]
    assert names[:2] == ["李四", "赵六"] and names[3] == "张三"
    assert [r.cells[0] for r in t.data_rows] == [1, 2, 3]
    assert t.rows[2].cells[0] == "甲社区小计" and t.rows[2].cells[1] == 2
    assert t.rows[-1].cells[:2] == ("合计", 3)
    # days in quarantine count the first day: 1 March to 10 March is day 10
    assert t.rows[0].cells[4] == 10 and t.rows[1].cells[4] == 1
    assert t.rows[2].cells[4] == 11 and t.rows[-1].cells[4] == 11


def test_expressions_mask_ids_compute_ages_and_map_values():
    row = table().rows[3].cells
    assert row[2] == mask_id_number(ID) and row[2] != ID
    assert row[3] == 75  # the day before the 76th birthday
    assert row[5] == "是" and table().rows[0].cells[5] == "否"
    assert table().rows[1].cells[6] == "低保、居家隔离"
    assert row[7] == "女"
    assert table(full_id=True).rows[3].cells[2] == ID


def test_headers_merge_across_equal_parents_and_down_where_shorter():
    header, merges = layout_header(parse_template(TEMPLATE))
    assert header[0] == ["序号", "基本情况", None, None, "隔离", None, "类别", "性别"]
    assert header[1] == [None, "姓名", "身份证号", "年龄（岁）", "天数", "是否有监护人", None, None]
    assert sorted(merges) == [(0, 0, 1, 0), (0, 1, 0, 3), (0, 4, 0, 5), (0, 6, 1, 6), (0, 7, 1, 7)]


def test_xlsx_has_title_merged_over_the_table_header_merges_and_signature_line():
    book = openpyxl.load_workbook(io.BytesIO(render(table(), "xlsx")))
    sheet = book.active
    assert sheet.title == "测试"
    assert sheet["A1"].value == "某街道名单（2026年03月10日）"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:H1" in merged  # title
    assert {"A3:A4", "B3:D3", "E3:F3", "G3:G4", "H3:H4"} <= merged  # header
    assert sheet["A2"].value == "填报单位：某街道"
    assert sheet["B4"].value == "姓名" and sheet["D4"].value == "年龄（岁）"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=10)]
    assert values[-1][0] == "合计"
    data = [v for v in values if isinstance(v[0], int)]
    assert values[-1][4] == sum(v[4] or 0 for v in data) == 11
    assert values[-1][1] == len(data) == 3
    signature = [c.value for c in sheet[12] if c.value]
    assert signature == ["填报人：", "审核人："]


def test_csv_has_one_header_row_and_the_data_rows_only():
    text = render(table(), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["序号", "基本情况·姓名", "基本情况·身份证号"]
    assert [r[1] for r in rows[1:]] == ["李四", "赵六", "张三"]


def test_hxl_round_trips_through_libhxl():
    import hxl

    data = render(table(), "hxl")
    dataset = hxl.data(io.BytesIO(data), hxl.InputOptions(allow_local=True))
    tags = [column.display_tag for column in dataset.columns]
    assert tags[:3] == ["#meta+serial", "#affected+name", "#affected+id"]
    rows = list(dataset)
    assert [row.get("#affected+name") for row in rows] == ["李四", "赵六", "张三"]
    assert [int(row.get("#affected+days")) for row in rows[:2]] == [10, 1]
    assert rows[0].get("#affected+type") == "居家隔离"
