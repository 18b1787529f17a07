"""Many tables rendered on every core give the same files, in the same order, as one by one."""

from __future__ import annotations

import io

import openpyxl

from linli.domain.forms import parse_template
from linli.domain.forms.batch import MIN_PARALLEL, render_all
from linli.domain.forms.model import FormContext

from .test_table import DAY, LABELS, ROWS, TEMPLATE, person


def cells(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_parallel_rendering_equals_one_by_one():
    template = parse_template(TEMPLATE)
    items = []
    for i in range(MIN_PARALLEL + 5):
        extra = [person(f"居民{i}-{k}", "甲社区", ["subsistence"]) for k in range(i)]
        context = FormContext(place=f"第{i}社区", date=DAY, labels=LABELS, full_id=False)
        items.append((ROWS + extra, context))
    parallel = render_all(template, items, "xlsx", workers=2)
    serial = render_all(template, items, "xlsx", workers=1)
    assert [r.rows for r in parallel] == [r.rows for r in serial]
    assert [r.rows for r in serial] == [3 + i for i in range(len(items))]
    assert [cells(r.content) for r in parallel] == [cells(r.content) for r in serial]
    assert [r.full_ids for r in parallel] == [r.full_ids for r in serial]
    assert cells(parallel[7].content)[0][0].startswith("第7社区")
