"""Normal forms of names, ID numbers, dates, phones and addresses, column at a time.

Names are folded to simplified characters (OpenCC's traditional→simplified table,
applied character by character) and read as toneless pinyin (pypinyin), so 劉曉明,
刘晓明 and the homophone 刘小明 meet. Work is done once per distinct character, not
per record, which keeps a million records to seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

FULL_WIDTH = str.maketrans(
    {chr(0xFF10 + d): str(d) for d in range(10)}
    | {chr(0xFF21 + k): chr(0x41 + k) for k in range(26)}
    | {chr(0xFF41 + k): chr(0x61 + k) for k in range(26)}
    | {"\u3000": " ", "－": "-", "（": "(", "）": ")"}
)
_NOT_ID = re.compile(r"[^0-9X]")
_NOT_DIGIT = re.compile(r"\D")
_SPACE_PUNCT = re.compile(r"[\s,，.。·•、()\-_/#]+")
_NUMBERS = re.compile(r"\d+")
# Province, city and district words in front of an address (others write them, others don't).
_REGION = re.compile(r"^(四川省)?(成都市)?([\u4e00-\u9fff]{1,3}[区县](?=.*[\u4e00-\u9fff]{2}))?")
# Address words that say the same thing (号楼/幢/座 → 栋, 室/号 at the end dropped).
_ADDRESS_WORDS = (("号楼", "栋"), ("幢", "栋"), ("座", "栋"), ("单元", "单元"), ("室", ""))


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


@cache
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _simplified(char: str) -> str:
    return _opencc().convert(char) if _is_cjk(char) else char.lower()


@cache
def _pinyin(char: str) -> str:
    if not _is_cjk(char):
        return char.lower() if char.isalnum() or char == " " else ""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _char_tables(values: list[str]) -> tuple[dict[int, str], dict[int, str]]:
    chars = set("".join(values))
    simple = {ord(c): _simplified(c) for c in chars}
    pinyin = {ord(c): _pinyin(_simplified(c)) + (" " if _is_cjk(c) else "") for c in chars}
    return simple, pinyin


@dataclass(frozen=True)
class Normal:
    """Normalised columns (numpy object arrays of ``str``; ``""`` = missing)."""

    name: np.ndarray  # simplified, no spaces or dots
    pinyin: np.ndarray  # toneless, no spaces: "liuxiaoming"
    head: np.ndarray  # pinyin of the surname (first character or first word)
    tail: np.ndarray  # first letters of the name's last syllable or word (given name)
    id_number: np.ndarray  # upper-case digits and X
    birth: np.ndarray  # YYYYMMDD, from the ID number when not given
    sex: np.ndarray  # M / F / ""
    phone: np.ndarray  # the last 11 digits
    address: np.ndarray  # simplified, no spaces or punctuation, one word for 栋
    place: np.ndarray  # the address's words before its numbers + the numbers: "玉林小区|3-2-401"


def _array(values: list[str]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def names(values: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    raw = [_SPACE_PUNCT.sub(" ", v.translate(FULL_WIDTH)).strip() for v in values]
    simple, pinyin = _char_tables(raw)
    folded = [v.translate(simple) for v in raw]
    spelled = [v.translate(pinyin) for v in raw]
    name = [v.replace(" ", "") for v in folded]
    words = [s.split() for s in spelled]
    heads = [w[0] if w else "" for w in words]
    tails = [w[-1][:4] if len(w) > 1 else "" for w in words]
    return (
        _array(name),
        _array([s.replace(" ", "") for s in spelled]),
        _array(heads),
        _array(tails),
    )


def id_numbers(values: list[str]) -> np.ndarray:
    return _array([_NOT_ID.sub("", v.translate(FULL_WIDTH).upper()) for v in values])


def births(values: list[str], ids: np.ndarray) -> np.ndarray:
    out = []
    for value, number in zip(values, ids.tolist(), strict=True):
        digits = _NOT_DIGIT.sub("", value.translate(FULL_WIDTH))
        if len(digits) != 8 and len(number) == 18:
            digits = number[6:14]
        out.append(digits if len(digits) == 8 else "")
    return _array(out)


def sexes(values: list[str], ids: np.ndarray) -> np.ndarray:
    words = {"M": "M", "F": "F", "男": "M", "女": "F", "MALE": "M", "FEMALE": "F"}
    out = []
    for value, number in zip(values, ids.tolist(), strict=True):
        sex = words.get(value.strip().upper(), "")
        if not sex and len(number) == 18 and number[16].isdigit():
            sex = "M" if int(number[16]) % 2 else "F"
        out.append(sex)
    return _array(out)


def phones(values: list[str]) -> np.ndarray:
    out = []
    for value in values:
        digits = _NOT_DIGIT.sub("", value.translate(FULL_WIDTH))
        out.append(digits[-11:] if len(digits) >= 7 else "")
    return _array(out)


def addresses(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Normal address, and its place key: the words before the first number + the numbers.

    "成都市北斗公寓2号楼1单元701室" and "北斗公寓2-1-701" both key as "北斗公寓|2-1-701".
    """
    wide = [_REGION.sub("", v.translate(FULL_WIDTH).strip()) for v in values]
    raw = [_SPACE_PUNCT.sub("", v) for v in wide]
    simple, _ = _char_tables(raw)
    out, keys = [], []
    for value, spaced in zip(raw, wide, strict=True):
        value = value.translate(simple)
        for word, same in _ADDRESS_WORDS:
            value = value.replace(word, same)
        out.append(value)
        numbers = _NUMBERS.findall(spaced)
        words = _NUMBERS.split(value, maxsplit=1)[0]
        keys.append(f"{words}|{'-'.join(numbers)}" if numbers else "")
    return _array(out), _array(keys)


def normalise(records) -> Normal:
    """Every field of ``records`` (a :class:`Records`) in its normal form."""
    name, pinyin, head, tail = names(records.name)
    ids = id_numbers(records.id_number)
    address, place = addresses(records.address)
    return Normal(
        name=name,
        pinyin=pinyin,
        head=head,
        tail=tail,
        id_number=ids,
        birth=births(records.birth, ids),
        sex=sexes(records.sex, ids),
        phone=phones(records.phone),
        address=address,
        place=place,
    )
