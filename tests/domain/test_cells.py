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
