"""The ledger and donations export, read back with openpyxl."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from linli.supplies.services import do_issue_stock, do_receive_stock

from .helpers import locations, masks

pytestmark = pytest.mark.django_db


def test_ledger_and_donor_list_are_exported(secretary, inside):
    warehouse, _ = locations(inside.community.code)
    item = masks()
    do_receive_stock(
        actor=secretary, item=item, location=warehouse, quantity=500, source="爱心企业"
    )
    do_issue_stock(actor=secretary, item=item, location=warehouse, quantity=120, note="东门")
    client = Client()
    client.force_login(secretary)
    response = client.post(
        reverse("supplies:export", kwargs={"pk": warehouse.pk}), {"reason": "捐赠公示"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    ledger, donations = book.worksheets
    rows = list(ledger.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [
        ("口罩", 500, 500, None),
        ("口罩", -120, 380, "东门"),
    ]
    gifts = list(donations.iter_rows(min_row=2, values_only=True))
    assert [(g[1], g[2], g[3], g[4]) for g in gifts] == [("爱心企业", "口罩", 500, "个")]
