"""Recognise the header row: Chinese headers in any order and their common variants."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# field → the headers communities write for it (compared after normalise_header).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "居民姓名", "人员姓名", "对象姓名", "name"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "身份证",
        "公民身份号码",
        "公民身份证号",
        "证件号码",
        "身份证件号码",
        "idnumber",
    ),
    "sex": ("性别", "sex"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日", "birthdate"),
    "phone": (
        "联系电话",
        "电话",
        "电话号码",
        "手机",
        "手机号",
        "手机号码",
        "联系方式",
        "phone",
    ),
    "address": ("住址", "地址", "家庭住址", "现住址", "居住地址", "详细地址", "address"),
    "compound": ("小区", "小区名称", "院落", "小区院落", "小区/院落", "所在小区", "compound"),
    "building": ("楼栋", "栋", "楼号", "幢", "栋号", "楼栋号", "building"),
    "unit": ("单元", "单元号", "unit"),
    "room": ("房号", "门牌号", "室", "房间号", "户号", "room"),
    "head": ("户主", "户主姓名", "head"),
    "relation": ("与户主关系", "关系", "与户主的关系", "relation"),
    "category": (
        "类别",
        "人员类别",
        "对象类别",
        "重点对象类别",
        "重点人员类别",
        "特殊群体类别",
        "category",
    ),
    "disability_type": ("残疾类别", "残疾类型", "残疾种类", "disabilitytype"),
    "disability_grade": ("残疾等级", "残疾级别", "disabilitygrade"),
    "disability": ("残疾类别/等级", "残疾类别及等级", "残疾情况", "残疾类别等级", "disability"),
    "risk": ("风险等级", "风险", "风险级别", "risk"),
    "needs": ("需求", "服务需求", "帮扶需求", "needs"),
    "moved_in": ("迁入日期", "入住日期", "迁入时间", "movedin"),
    "moved_out": ("迁出日期", "迁出时间", "movedout"),
    "notes": ("备注", "说明", "notes"),
    # Recognised so that they are not reported as unknown, but never imported.
    "_sequence": ("序号", "编号", "no", "#"),
    "_errors": ("错误说明", "errors"),
}
FIELD_OF = {normalise: field for field, names in ALIASES.items() for normalise in names}
REQUIRED = ("name",)
_DECOR = re.compile(r"[\s*＊:：]|[（(][^）)]*[）)]")


def normalise_header(value: Any) -> str:
    """``' 身份证号码（必填）*'`` → ``'身份证号码'``; full-width to half-width; lower case."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return _DECOR.sub("", text).lower().replace("_", "")


def field_for(header: str) -> str | None:
    key = normalise_header(header)
    if key in FIELD_OF:
        return FIELD_OF[key]
    return FIELD_OF.get(key.replace("/", ""))


def _filled(row: list[Any]) -> list[str]:
    """A row of header cells with horizontally merged cells filled from the left."""
    out, last = [], ""
    for cell in row:
        text = "" if cell is None else unicodedata.normalize("NFKC", str(cell)).strip()
        if text:
            last = text
        out.append(text or last)
    return out


def combine(upper: list[Any] | None, lower: list[Any]) -> list[str]:
    """The header of each column from a one- or two-row header.

    A group header merged across columns (住址 over 小区/楼栋/单元/房号) fills the
    upper row; a header merged down two rows (姓名) leaves the lower cell empty.
    """
    width = max(len(lower), len(upper or []))
    lower_cells = [
        "" if c is None else unicodedata.normalize("NFKC", str(c)).strip() for c in lower
    ]
    lower_cells += [""] * (width - len(lower_cells))
    if upper is None:
        return lower_cells
    upper_cells = _filled(list(upper) + [None] * (width - len(upper)))
    return [low or up for low, up in zip(lower_cells, upper_cells, strict=True)]


def score(headers: list[str]) -> int:
    return len({f for f in map(field_for, headers) if f and not f.startswith("_")})


def find_header(first_rows: list[list[Any]]) -> tuple[int, list[str]]:
    """The index of the (last) header row among the first rows, and the column headers.

    Title rows (``XX社区重点人员台账`` merged across the sheet) and blank rows above
    the header are skipped; a two-row header is combined.
    """
    best_key: tuple[int, bool] = (0, False)
    best: tuple[int, list[str]] = (-1, [])
    for i, row in enumerate(first_rows):
        candidates = [(combine(None, row), True)]
        if i > 0:
            candidates.append((combine(first_rows[i - 1], row), False))
        for headers, alone in candidates:
            key = (score(headers), alone)
            if key[0] and key > best_key:
                best_key, best = key, (i, headers)
    return best


def map_columns(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    """Column index → field, and the headers not recognised.

    A field named twice keeps its first column, except the phone: a second phone
    column (联系电话 merged over two columns) becomes the second phone.
    """
    fields: dict[int, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        if not header:
            continue
        field = field_for(header)
        if field is None:
            ignored.append(header)
            continue
        if field in fields.values():
            if field == "phone" and "phone2" not in fields.values():
                field = "phone2"
            else:
                ignored.append(header)
                continue
        fields[index] = field
    return fields, ignored
