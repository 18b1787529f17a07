"""Cleaning single cells: each function returns the clean value or raises CellError."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from linli.domain import idcard


class CellError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}


def text(value: Any) -> str:
    """Any cell as text: full-width to half-width, stray spaces trimmed and collapsed."""
    if value is None or value == "":
        return ""
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date() if value.time() == dt.time() else value
        if isinstance(value, dt.date):
            return value.isoformat()
        value = str(value)
    if not value.isascii():  # full-width digits and letters, ideographic spaces
        value = unicodedata.normalize("NFKC", value)
    value = value.strip()
    if "  " in value or "\t" in value or "\n" in value or "\r" in value:
        value = " ".join(value.split())
    return value


def name(value: str) -> str:
    """Chinese names carry no spaces (``张 三`` → ``张三``); Latin names keep one."""
    if re.search(r"[A-Za-z]", value):
        return value
    return value.replace(" ", "")


def id_number(value: Any) -> idcard.IdNumber:
    if isinstance(value, float) or (isinstance(value, int) and len(str(value)) != 18):
        # Excel keeps 15 significant digits: an 18-digit number cell has lost the rest.
        raise CellError("id_number_cell")
    try:
        return idcard.parse(text(value))
    except idcard.IdNumberError as error:
        raise CellError(error.code, **error.params) from None


SEX = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
}


def sex(value: str) -> str:
    try:
        return SEX[value.lower()]
    except KeyError:
        raise CellError("sex_unknown") from None


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?$")


def date(value: Any, *, today: dt.date) -> tuple[dt.date, bool]:
    """A date, and whether the day was given (出生年月 often gives only year and month)."""
    if isinstance(value, dt.datetime):
        found, full = value.date(), True
    elif isinstance(value, dt.date):
        found, full = value, True
    else:
        raw = text(value)
        found, full = _date_text(raw)
    if found > today:
        raise CellError("date_future")
    return found, full


def _date_text(raw: str) -> tuple[dt.date, bool]:
    digits = raw.replace(" ", "")
    try:
        if re.fullmatch(r"\d{8}", digits):
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])), True
        if re.fullmatch(r"\d{6}", digits):
            return dt.date(int(digits[:4]), int(digits[4:6]), 1), False
        match = _DATE.match(raw)
        if match:
            year, month, day = match.groups()
            return dt.date(int(year), int(month), int(day or 1)), day is not None
    except ValueError:
        pass
    raise CellError("date_invalid")


_PHONE_SPLIT = re.compile(r"[/,，、;；|]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$|^\d{7,8}$")


def _phone(part: str) -> str | None:
    compact = re.sub(r"[\s()（）]", "", part).removeprefix("+86").removeprefix("86-")
    digits = compact.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(compact):
        return compact
    if re.fullmatch(r"0\d{9,11}", digits):  # 02885551234: area code run into the number
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{digits[area:]}"
    return None


def phones(value: Any) -> tuple[str, ...]:
    """One or two phone numbers; mobiles as 11 digits, landlines as 028-85551234."""
    out: list[str] = []
    for part in _PHONE_SPLIT.split(text(value)):
        if not part.strip():
            continue
        found = _phone(part)
        if found is None:  # two numbers separated by a space?
            pieces = [_phone(p) for p in part.split()]
            if len(pieces) < 2 or None in pieces:
                raise CellError("phone_invalid")
            out.extend(p for p in pieces if p)
        else:
            out.append(found)
    if len(out) > 2:
        raise CellError("phone_too_many")
    return tuple(dict.fromkeys(out))


CATEGORIES = {
    "disabled_no_carer": ("残疾无人照料", "无人照料残疾人", "残疾人无人照料", "残疾人", "残疾"),
    "elderly_alone": ("独居老人", "空巢独居老人", "独居", "空巢老人", "孤寡老人"),
    "left_behind_child": ("留守儿童",),
    "de_facto_orphan": ("事实孤儿", "孤儿", "事实无人抚养儿童"),
    "subsistence": ("低保", "低保户", "特困", "特困供养", "低保特困", "低保/特困", "城乡低保"),
    "chronic_medicine": ("慢性病", "慢病", "长期服药", "慢性病长期服药", "慢病患者"),
    "pregnant": ("孕妇", "孕产妇"),
    "home_quarantine": ("居家隔离", "隔离", "居家观察", "居家医学观察"),
}
CATEGORY_OF = {alias: code for code, names in CATEGORIES.items() for alias in (*names, code)}
_LIST_SPLIT = re.compile(r"[、,，;；/|+\s]+")


def _items(value: str, table: dict[str, str], code: str) -> tuple[str, ...]:
    out: list[str] = []
    whole = table.get(value.replace(" ", ""))
    parts = [value] if whole else [p for p in _LIST_SPLIT.split(value) if p]
    for part in parts:
        found = table.get(part.replace(" ", ""))
        if found is None:
            raise CellError(code, item=part)
        if found not in out:
            out.append(found)
    return tuple(out)


def categories(value: str) -> tuple[str, ...]:
    return _items(value, CATEGORY_OF, "category_unknown")


DISABILITY_TYPES = {
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "physical": "肢体",
    "intellectual": "智力",
    "mental": "精神",
    "multiple": "多重",
}
_TYPE_OF = {zh: code for code, zh in DISABILITY_TYPES.items()} | {c: c for c in DISABILITY_TYPES}
_GRADE_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "壹": 1, "贰": 2, "叁": 3, "肆": 4}


def disability_type(value: str) -> str:
    key = value.replace("残疾", "").replace("类", "").strip().lower()
    try:
        return _TYPE_OF[key]
    except KeyError:
        raise CellError("disability_type_unknown") from None


def disability_grade(value: str) -> int:
    key = value.replace("级", "").replace("残疾", "").strip()
    grade = _GRADE_WORDS.get(key)
    if grade is None and key.isdigit():
        grade = int(key)
    if grade is None or not 1 <= grade <= 4:
        raise CellError("disability_grade_invalid")
    return grade


_COMBINED = re.compile(r"^(.*?)(?:残疾)?\s*([一二三四五六七八九壹贰叁肆\d]+)\s*级$")


def disability(value: str) -> tuple[str, int | None]:
    """``肢体二级`` / ``听力残疾3级`` / ``精神`` → (type, grade)."""
    match = _COMBINED.match(value.replace(" ", ""))
    if match:
        return disability_type(match.group(1)), disability_grade(match.group(2))
    return disability_type(value), None


RISKS = {"高": "high", "高风险": "high", "中": "medium", "中风险": "medium", "低": "low"}
RISKS |= {"低风险": "low", "high": "high", "medium": "medium", "low": "low"}


def risk(value: str) -> str:
    try:
        return RISKS[value.lower().replace(" ", "")]
    except KeyError:
        raise CellError("risk_unknown") from None


NEEDS = {
    "meals": ("送餐", "助餐", "配餐", "餐食", "吃饭"),
    "medicine": ("送药", "代购药品", "购药", "药品", "取药", "代买药"),
    "mobility_help": ("行动协助", "助行", "出行协助", "行动不便", "陪同就医"),
    "sign_language": ("手语", "手语翻译"),
    "child_care": ("照看儿童", "儿童照料", "看护儿童", "托管"),
    "daily_supplies": ("生活物资", "代购", "物资", "生活用品", "代购生活物资"),
    "psychological": ("心理", "心理疏导", "心理支持", "心理辅导"),
}
NEED_OF = {alias: code for code, names in NEEDS.items() for alias in (*names, code)}


def needs(value: str) -> tuple[str, ...]:
    return _items(value, NEED_OF, "need_unknown")


def limited(value: str, limit: int) -> str:
    if len(value) > limit:
        raise CellError("too_long", limit=limit)
    return value
