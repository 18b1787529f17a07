"""Every export of personal data asks why first, is audited with who, what, rows and why,
can carry a password, stays in scope, and leaves no personal data in the logs: the
department forms, an import's rejected rows, a roster and a ledger, all through the same
form (``linli.common.exports``)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

import msoffcrypto
import pytest
from django.test import Client
from django.urls import reverse
from msoffcrypto.exceptions import InvalidKeyError
from openpyxl import load_workbook

from linli.common.audit import exports_of
from tests.common.test_scope_all_routes import roster_shift, stock_location
from tests.conftest import Neighbourhood

pytestmark = pytest.mark.django_db
PASSWORD = "玉林东路-2026"


def rejected_import(n: Neighbourhood):
    """An upload with one good row and one whose ID number is wrong (rejected)."""
    from linli.register.models import ImportRun

    rows = f"姓名,身份证号,联系电话\n{n.resident.name}二,51010719400305001,13911112222\n某人,,\n"
    return ImportRun.objects.create(
        place=n.grid, source="民政", file_name="台账.csv", content=rows.encode()
    )


def ledger(n: Neighbourhood):
    from linli.supplies.models import Item
    from linli.supplies.services import do_receive_stock

    location = stock_location(n)
    item, _ = Item.objects.get_or_create(code="mask", defaults={"name": "口罩", "unit": "个"})
    do_receive_stock(actor=None, item=item, location=location, quantity=50, source="甲爱心人士")
    return location


@dataclass(frozen=True)
class Export:
    route: str
    kwargs: Callable[[Neighbourhood], dict]
    subject: Callable[[Neighbourhood], object]  # the audited object, after the export
    kind: str
    shows: Callable[[Neighbourhood], str]  # personal data the file carries


def civil_affairs_form(n: Neighbourhood) -> dict:
    """The civil-affairs roll of the community, which lists its resident on subsistence."""
    from linli.register.models import Vulnerability

    Vulnerability.objects.get_or_create(
        resident=n.resident, category="subsistence", source="civil_affairs"
    )
    return {"key": "civil_affairs", "code": n.community.code, "day": "2026-03-02", "fmt": "xlsx"}


def _generation(n: Neighbourhood):
    from linli.reports.models import Generation

    return Generation.objects.get()


EXPORTS = {
    "form": Export(
        "reports:download",
        lambda n: civil_affairs_form(n),
        _generation,
        "civil_affairs.xlsx",
        lambda n: n.resident.name,
    ),
    "rejected": Export(
        "register:import_rejected",
        lambda n: {"pk": rejected_import(n).pk},
        lambda n: n.grid.imports.get(),
        "rejected.xlsx",
        lambda n: "13911112222",
    ),
    "roster": Export(
        "rostering:export",
        lambda n: {"pk": roster_shift(n).roster_id},
        lambda n: roster_shift(n).roster,
        "roster.xlsx",
        lambda n: n.volunteer.name,
    ),
    "ledger": Export(
        "supplies:export",
        lambda n: {"pk": ledger(n).pk},
        lambda n: stock_location(n),
        "ledger.xlsx",
        lambda n: "甲爱心人士",
    ),
}


@pytest.fixture
def client(make_user, inside):
    client = Client()
    client.force_login(make_user("community_secretary"))  # may take all four
    return client


def cells(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )


@pytest.mark.parametrize("key", EXPORTS)
def test_the_page_asks_why_and_a_request_without_a_reason_gets_no_file(key, client, inside):
    export = EXPORTS[key]
    url = reverse(export.route, kwargs=export.kwargs(inside))
    page = client.get(url)
    assert page.status_code == 200 and "attachment" not in page.get("Content-Disposition", "")
    body = page.content.decode()
    assert 'name="reason"' in body and "required" in body and 'name="password"' in body
    for empty in ({}, {"reason": "   "}):
        refused = client.post(url, empty)
        assert refused.status_code == 400, empty
        assert refused["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in refused
        assert "说明为什么需要这个文件" in refused.content.decode()  # the form's error, in Chinese
    from auditlog.models import LogEntry

    assert not LogEntry.objects.filter(changes__has_key="exported").exists()


@pytest.mark.parametrize("key", EXPORTS)
def test_an_export_with_a_reason_is_audited_with_who_what_rows_and_why(key, client, inside, caplog):
    export = EXPORTS[key]
    url = reverse(export.route, kwargs=export.kwargs(inside))
    with caplog.at_level(logging.DEBUG):
        response = client.post(url, {"reason": "周报给街道"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert export.shows(inside) in cells(response.content)  # the file holds personal data …
    (entry,) = exports_of(export.subject(inside))  # … and its export is on the record
    assert entry.actor.role == "community_secretary" and entry.timestamp is not None
    assert entry.additional_data["export"] == export.kind
    assert entry.additional_data["reason"] == "周报给街道"
    assert entry.additional_data["protected"] is False
    assert entry.additional_data["rows"] >= 1
    # Logs and the audit entry carry ids and counts, never the names or phones in the file.
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    logged += f" {entry.changes} {entry.object_repr} {entry.serialized_data}"
    for personal in (export.shows(inside), inside.resident.name, inside.resident.phone):
        assert personal not in logged


@pytest.mark.parametrize("key", EXPORTS)
def test_an_export_with_a_password_opens_only_with_it(key, client, inside):
    export = EXPORTS[key]
    url = reverse(export.route, kwargs=export.kwargs(inside))
    response = client.post(url, {"reason": "交给民政", "password": PASSWORD})
    assert response.status_code == 200
    file = msoffcrypto.OfficeFile(io.BytesIO(response.content))
    assert file.is_encrypted()
    with pytest.raises(InvalidKeyError):
        guess = msoffcrypto.OfficeFile(io.BytesIO(response.content))
        guess.load_key(password="12345678", verify_password=True)
    file.load_key(password=PASSWORD)
    plain = io.BytesIO()
    file.decrypt(plain)
    assert export.shows(inside) in cells(plain.getvalue())
    assert exports_of(export.subject(inside)).get().additional_data["protected"] is True
    short = client.post(url, {"reason": "交给民政", "password": "1234"})
    assert short.status_code == 400 and "Content-Disposition" not in short
    assert exports_of(export.subject(inside)).count() == 1


@pytest.mark.parametrize("key", EXPORTS)
def test_an_export_outside_the_scope_is_404_with_or_without_a_reason(key, client, inside, outside):
    export = EXPORTS[key]
    url = reverse(export.route, kwargs=export.kwargs(outside))
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "好奇"}).status_code == 404
    from auditlog.models import LogEntry

    assert not LogEntry.objects.filter(changes__has_key="exported").exists()


def test_a_csv_form_cannot_carry_a_password_and_the_page_says_so(client, inside):
    kwargs = {**civil_affairs_form(inside), "fmt": "csv"}
    url = reverse("reports:download", kwargs=kwargs)
    refused = client.post(url, {"reason": "报表", "password": PASSWORD})
    assert refused.status_code == 400 and "只有 xlsx 文件可以设置密码" in refused.content.decode()
    plain = client.post(url, {"reason": "报表"})
    assert plain.status_code == 200 and plain["Content-Type"].startswith("text/csv")


def test_the_service_refuses_an_export_without_a_reason(inside):
    from linli.rostering.services import do_export_roster

    roster = roster_shift(inside).roster
    with pytest.raises(ValueError, match="a reason is required"):
        do_export_roster(actor=None, roster=roster, reason=" ", protected=False)
    assert not exports_of(roster).exists()


def test_the_pages_offer_the_export_form_in_place(client, inside):
    """The roster, ledger and import pages carry the reason form themselves (one tap less
    on a phone); the report page's form has a button per format."""
    pages = [
        ("rostering:roster", {"pk": roster_shift(inside).roster_id}, "rostering:export"),
        ("supplies:ledger", {"pk": ledger(inside).pk}, "supplies:export"),
    ]
    for page, kwargs, export in pages:
        body = client.get(reverse(page, kwargs=kwargs)).content.decode()
        assert 'id="export-form"' in body and reverse(export, kwargs=kwargs) in body
        assert 'name="reason"' in body
