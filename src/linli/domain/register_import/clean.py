"""Cleaning single cells: each function returns the clean value or raises CellError."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from linli.domain import idcard
from linli.domain import vocabulary as vocab


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


_LIST_SPLIT = re.compile(r"[、,，;；/|+\s]+")


def _one(value: str, vocabulary: vocab.Vocabulary, code: str) -> str:
    try:
        return vocabulary.match(value)
    except vocab.VocabularyError as error:
        if error.code == "ambiguous":
            raise CellError(
                f"{code}_ambiguous",
                item=value,
                meanings="、".join(vocabulary.display(c) for c in error.candidates),
            ) from None
        raise CellError(f"{code}_unknown", item=value, accepted="、".join(error.accepted)) from None


def _items(value: str, vocabulary: vocab.Vocabulary, code: str) -> tuple[str, ...]:
    """One word or a list (``买菜/送药/代购``): each item matched, duplicates dropped.

    A list is split before any containment, so that a known word in it never hides an
    unknown one (``独居老人、困难户`` is an error, not ``elderly_alone``)."""
    whole = vocabulary.exact(value)  # 低保/特困 and 失能/半失能 are one word
    if whole is not None:
        return (whole,)
    parts = [p for p in _LIST_SPLIT.split(value) if p] or [value]
    return tuple(dict.fromkeys(_one(part, vocabulary, code) for part in parts))


def categories(value: str, vocabulary: vocab.Vocabulary = vocab.CATEGORIES) -> tuple[str, ...]:
    return _items(value, vocabulary, "category")


def needs(value: str, vocabulary: vocab.Vocabulary = vocab.NEEDS) -> tuple[str, ...]:
    return _items(value, vocabulary, "need")


DISABILITY_TYPES = {code: words[0] for code, words in vocab.DISABILITY_TYPE_WORDS.items()}


def disability_type(value: str, vocabulary: vocab.Vocabulary = vocab.DISABILITY_TYPES) -> str:
    key = value.replace("类", "").strip()
    try:
        return vocabulary.match(key)
    except vocab.VocabularyError as error:
        if error.code == "ambiguous":
            raise CellError(
                "disability_type_ambiguous",
                item=value,
                meanings="、".join(vocabulary.display(c) for c in error.candidates),
            ) from None
        raise CellError("disability_type_unknown") from None


def disability_grade(value: str) -> int:
    try:
        return vocab.grade(value)
    except vocab.VocabularyError as error:
        if error.code == "ambiguous":
            raise CellError("disability_grade_ambiguous", item=value) from None
        raise CellError("disability_grade_invalid") from None


_COMBINED = re.compile(r"^(.*?)(?:残疾)?\s*([一二三四五六七八九壹贰叁肆\d]+)\s*级$")


def disability(
    value: str, vocabulary: vocab.Vocabulary = vocab.DISABILITY_TYPES
) -> tuple[str, int | None]:
    """``肢体二级`` / ``听力残疾3级`` / ``精神`` → (type, grade)."""
    match = _COMBINED.match(value.replace(" ", ""))
    if match:
        return disability_type(match.group(1), vocabulary), disability_grade(match.group(2))
    return disability_type(value, vocabulary), None


RISKS = {"高": "high", "高风险": "high", "中": "medium", "中风险": "medium", "低": "low"}
RISKS |= {"低风险": "low", "high": "high", "medium": "medium", "low": "low"}


def risk(value: str) -> str:
    try:
        return RISKS[value.lower().replace(" ", "")]
    except KeyError:
        raise CellError("risk_unknown") from None


def relation(value: str, vocabulary: vocab.Vocabulary = vocab.RELATIONS) -> str:
    """The relation to the head of household in its usual word (``老伴`` → ``配偶``); a word
    the vocabulary does not know is kept as written (a household's own wording is valid)."""
    try:
        return vocabulary.display(vocabulary.match(value))
    except vocab.VocabularyError:
        return value


def yes_no(value: str, vocabulary: vocab.Vocabulary = vocab.YES_NO) -> bool:
    return _one(value, vocabulary, "yes_no") == "yes"


def limited(value: str, limit: int) -> str:
    if len(value) > limit:
        raise CellError("too_long", limit=limit)
    return value
