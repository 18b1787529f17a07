"""The supplier's order list as xlsx, every cell through the neutralising writer."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from linli.places.models import Level, Place

from .models import Order


def supplier_xlsx(community: Place, supplier: str) -> tuple[bytes, int]:
    """The supplier's order list, grouped as suppliers want it: one sheet of totals per item,
    one of what goes to which compound gate (order numbers and buildings, no names)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from linli.domain.cells import xlsx_row

    orders = list(
        Order.objects.filter(
            place__code__startswith=community.code,
            status=Order.Status.OPEN,
            source=Order.Source.SUPPLIER,
            supplier=supplier,
        )
        .select_related("place")
        .prefetch_related("lines__item__item")
        .order_by("place__code", "pk")
    )
    totals: dict[str, int] = {}
    book = Workbook()
    by_gate = book.active
    by_gate.title = _("By gate")[:31]
    by_gate.append(
        xlsx_row(
            by_gate,
            [_("Gate (compound)"), _("Building"), _("Order"), _("Item"), _("Quantity"), _("Unit")],
        )
    )
    gates = {
        p.code: p.name
        for p in Place.objects.filter(code__startswith=community.code, level=Level.COMPOUND)
    }
    for order in orders:
        gate = next((gates[c] for c in gates if order.place.code.startswith(c)), "")
        for line in order.lines.all():
            unit = line.item.item.unit if line.item_id else ""
            by_gate.append(
                xlsx_row(
                    by_gate, [gate, order.place.name, order.pk, line.label, line.quantity, unit]
                )
            )
            totals[line.label] = totals.get(line.label, 0) + line.quantity
    sheet = book.create_sheet(_("Totals")[:31], 0)
    sheet.append(xlsx_row(sheet, [_("Item"), _("Quantity")]))
    for label in sorted(totals):
        sheet.append(xlsx_row(sheet, [label, totals[label]]))
    for ws in (sheet, by_gate):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(orders)
