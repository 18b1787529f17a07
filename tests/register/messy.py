"""A messy, real-looking community register with every kind of problem the importer
must report, and the exact report it must give.

The sheet is built for the ``inside`` neighbourhood of tests/conftest.py (community
510107005002, compound 甲花园 with building 1栋, resident 甲老人).
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from linli.domain import idcard

AREA = "510107"


def number(birth: dt.date, seq: int, sex: str) -> str:
    return idcard.make(AREA, birth, seq, sex)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


WANG = number(dt.date(1938, 6, 1), 11, "F")  # valid, written in full-width digits
ZHOU = number(dt.date(1950, 3, 9), 21, "M")
BAD_CHECK = ZHOU[:-1] + ("0" if ZHOU[-1] != "0" else "1")
SEX_WRONG = number(dt.date(1961, 7, 7), 31, "F")
BIRTH_WRONG = number(dt.date(1950, 3, 9), 41, "M")
PHONE_BAD = number(dt.date(1970, 1, 2), 51, "M")
CATEGORY_BAD = number(dt.date(1955, 5, 5), 61, "F")
GRADE_BAD = number(dt.date(1966, 6, 6), 71, "M")
COMPOUND_BAD = number(dt.date(1944, 4, 4), 81, "F")
BUILDING_BAD = number(dt.date(1945, 4, 5), 91, "M")
NO_NAME = number(dt.date(1946, 4, 6), 101, "F")
DATE_BAD = number(dt.date(1947, 4, 7), 111, "M")
RISK_BAD = number(dt.date(1948, 4, 8), 121, "F")
NUMBER_CELL = next(
    n for n in (number(dt.date(1949, 4, 9), seq, "M") for seq in range(131, 200)) if n[-1] != "X"
)

HEADER_TOP = [
    "序号",
    "姓 名",
    "公民身份号码",
    "性别",
    "出生年月",
    "住址",
    None,
    None,
    None,
    "联系电话",
    None,
    "人员类别",
    "残疾类别/等级",
    "风险等级",
    "服务需求",
    "与户主关系",
    "民族",
    "备注",
]
HEADER_SUB = [None] * 5 + ["小区", "楼栋", "单元", "房号"] + [None] * 9


def rows(existing_id: str) -> list[list]:
    """The data rows; ``existing_id`` is 甲老人's ID number (already in the register).

    Columns: 序号 姓名 身份证 性别 出生 | 小区 楼栋 单元 房号 | 电话 电话 | 类别 残疾 风险 需求 关系 民族 备注
    """
    # fmt: off
    return [
        # 5: valid; stray spaces, full-width digits, two phones in one cell, several
        # categories and needs, a datetime cell.
        [1, " 王 秀英 ", fullwidth(WANG), "女", dt.datetime(1938, 6, 1),
         "甲花园", "1栋", "1", "102室", "13800001111/028-85551234", None,
         "独居老人、低保", "", "高", "送餐，送药", "户主", "汉", ""],
        # 6: the resident already registered: a new category and a second phone → updated.
        [2, "甲老人", existing_id.lower(), "女", "1940.03",
         "甲花园", "1 栋", "1单元", "101", "13800000000", "13900002222",
         "独居老人,慢性病", "", "", "", "户主", "汉", ""],
        # 7: a newborn without an ID number → new, flagged "no ID".
        [3, "刘小宝", "", "男", "2026-01-10",
         "甲花园", "1栋", "2", "201", "", None,
         "", "", "", "", "子", "汉", "新生儿"],
        [None] * 18,  # 8: blank row
        # 9: check character wrong.
        [4, "周建国", BAD_CHECK, "男", "1950-03", "甲花园", "1栋", *[""] * 11],
        # 10: ID stored as a number (Excel lost the last digits).
        [5, "吴敏", float(NUMBER_CELL), "男", *[""] * 14],
        # 11: sex disagrees with the ID number.
        [6, "郑红", SEX_WRONG, "男", *[""] * 14],
        # 12: birth month disagrees with the ID number.
        [7, "冯强", BIRTH_WRONG, "男", "1950.04", *[""] * 13],
        # 13: not a phone number.
        [8, "陈刚", PHONE_BAD, "男", "", "", "", "", "", "138001380001", *[""] * 8],
        # 14: unknown category.
        [9, "褚丽", CATEGORY_BAD, "女", "", "", "", "", "", "", None, "困难户", *[""] * 6],
        # 15: disability grade out of range.
        [10, "卫东", GRADE_BAD, "男", "", "", "", "", "", "", None, "残疾人", "肢体5级",
         *[""] * 5],
        # 16: compound not in this community.
        [11, "蒋芳", COMPOUND_BAD, "女", "", "乙花园", *[""] * 12],
        # 17: building not in the compound.
        [12, "沈军", BUILDING_BAD, "男", "", "甲花园", "9栋", *[""] * 11],
        # 18: the same ID number as row 5.
        [13, "王秀英", WANG, "女", *[""] * 14],
        # 19: no name.
        [14, "  ", NO_NAME, "女", *[""] * 14],
        # 20: birth date not a date.
        [15, "杨帆", DATE_BAD, "男", "不详", *[""] * 13],
        # 21: unknown risk level.
        [16, "朱梅", RISK_BAD, "女", "", "", "", "", "", "", None, "独居老人", "", "很高",
         *[""] * 4],
        # 22: a totals line at the bottom, skipped.
        ["合计", "16人"] + [None] * 16,
    ]
    # fmt: on


def workbook(existing_id: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["玉林东路社区重点人员台账（2026年11月）"])
    sheet.merge_cells("A1:R1")
    sheet.append([])
    sheet.append(HEADER_TOP)
    sheet.append(HEADER_SUB)
    for col in ("A", "B", "C", "D", "E", "L", "M", "N", "O", "P", "Q", "R"):
        sheet.merge_cells(f"{col}3:{col}4")
    sheet.merge_cells("F3:I3")
    sheet.merge_cells("J3:K4")
    for row in rows(existing_id):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# (row, column, code, value) of every problem, in order.
EXPECTED_ERRORS = [
    (9, "公民身份号码", "id_check", BAD_CHECK),
    (10, "公民身份号码", "id_number_cell", str(int(float(NUMBER_CELL)))),
    (11, "性别", "sex_mismatch", "男"),
    (12, "出生年月", "birth_mismatch", "1950.04"),
    (13, "联系电话", "phone_invalid", "138001380001"),
    (14, "人员类别", "category_unknown", "困难户"),
    (15, "残疾类别/等级", "disability_grade_invalid", "肢体5级"),
    (16, "小区", "compound_near", "乙花园"),
    (17, "楼栋", "building_unknown", "9栋"),
    (18, "公民身份号码", "id_duplicate", WANG),
    (19, "姓 名", "required", ""),
    (20, "出生年月", "date_invalid", "不详"),
    (21, "风险等级", "risk_unknown", "很高"),
]
EXPECTED_COUNTS = {"read": 16, "valid": 3, "rejected": 13, "new": 2, "updated": 1, "unchanged": 0}
