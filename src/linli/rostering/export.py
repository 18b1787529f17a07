"""The roster as an xlsx grid for the checkpoint board (one sheet, printable)."""

from __future__ import annotations

import io

from django.utils import dateformat
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from linli.domain.cells import xlsx_row

from .models import Roster
from .selectors import roster_grid


def roster_xlsx(roster: Roster) -> bytes:
    """Rows: post and shift; columns: days; cells: the names on duty, one per line."""
    grid = roster_grid(roster)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Roster")[:31]
    title = _("%(community)s checkpoint roster %(first)s – %(last)s (version %(version)d)") % {
        "community": roster.community.name,
        "first": roster.start.isoformat(),
        "last": roster.end.isoformat(),
        "version": roster.version,
    }
    sheet.append(xlsx_row(sheet, [title]))
    sheet["A1"].font = Font(bold=True, size=14)
    days = [f"{d:%m-%d} {dateformat.format(d, 'D')}" for d in grid.days]
    sheet.append(xlsx_row(sheet, [_("Post"), _("Shift"), *days]))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for post, shift, cells in grid.rows:
        sheet.append(xlsx_row(sheet, [post, shift] + ["\n".join(names) for names in cells]))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 16
    for i in range(len(grid.days)):
        sheet.column_dimensions[get_column_letter(3 + i)].width = 10
    sheet.freeze_panes = "C3"
    sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
