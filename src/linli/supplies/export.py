"""The ledger of a location and the donations received there, as xlsx."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.domain.cells import xlsx_row

from .models import LedgerEntry, StockLocation


def ledger_xlsx(location: StockLocation) -> bytes:
    """Two sheets: every entry (oldest first), and the receipts with their donor (the
    acknowledgement list)."""
    entries = list(
        LedgerEntry.objects.filter(location=location).select_related("item").order_by("pk")
    )
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ledger")[:31]
    sheet.append(
        xlsx_row(
            sheet, [_("When"), _("Item"), _("Kind"), _("Quantity"), _("On hand after"), _("Note")]
        )
    )
    for e in entries:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                    e.item.name,
                    e.get_kind_display(),
                    e.quantity,
                    e.balance_after,
                    e.note,
                ],
            )
        )
    donations = book.create_sheet(_("Donations")[:31])
    donations.append(
        xlsx_row(donations, [_("When"), _("Donor or source"), _("Item"), _("Quantity"), _("Unit")])
    )
    for e in entries:
        if e.kind == LedgerEntry.Kind.RECEIVE:
            donations.append(
                xlsx_row(
                    donations,
                    [
                        timezone.localtime(e.created_at).strftime("%Y-%m-%d"),
                        e.source,
                        e.item.name,
                        e.quantity,
                        e.item.unit,
                    ],
                )
            )
    for ws in (sheet, donations):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
