"""The hostile files of issue 18, built in the tests (nothing is stored in the repository)."""

from __future__ import annotations

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet"/></Relationships>'
)


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: dict[int, list[str]], dimension: str = "") -> str:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in sorted(rows.items()))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{head}<sheetData>{body}</sheetData></worksheet>"
    )


def xlsx(sheet: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal xlsx around one sheet's XML (what Excel needs to open it, nothing more)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def two_corners() -> bytes:
    """Issue 18 item 4: one cell at A1 and one at XFD1048576, 1.5 KB. calamine allocates the
    whole rectangle between them (17 billion cells, 512 GiB) and the process aborts."""
    return xlsx(sheet_xml({1: [cell("A1", "姓名")], 1048576: [cell("XFD1048576", "x")]}))


def billion_laughs(levels: int = 9) -> str:
    """Issue 18 item 6: nine levels of nine aliases, about 530 bytes; 9⁹ = 387 million
    strings once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def playbook_bomb(levels: int = 9) -> str:
    """A playbook file whose payload is the bomb (the checksum is only checked after the
    data is loaded: that is where old Linli expanded it)."""
    return (
        "format: linli-playbook\nschema_version: 1\nchecksum: sha256:0\nsource: {}\n"
        "playbook:\n" + "".join("  " + line + "\n" for line in billion_laughs(levels).splitlines())
    )


def template_bomb(levels: int = 9) -> str:
    """A department-form template whose ``above`` lines are the bomb."""
    return (
        "name: 炸弹\ntitle: x\ndataset: people\ncolumns:\n  - {header: 姓名, value: name}\n"
        + billion_laughs(levels)
        + f"above: [*{chr(96 + levels)}]\n"
    )
