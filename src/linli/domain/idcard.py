"""Resident Identity Card numbers (居民身份证号码, GB 11643-1999).

An 18-character number: 6-digit address code, 8-digit birth date, 3-digit
sequence (odd = male, even = female) and a check character computed with
ISO 7064 MOD 11-2 (``X`` stands for 10). Input may carry full-width digits,
spaces and a lowercase ``x``; :func:`normalise` cleans them.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MALE = "M"
FEMALE = "F"


class IdNumberError(ValueError):
    """An ID number that is not a valid GB 11643 number; ``reason`` says why."""

    def __init__(
        self, value: str, reason: str, code: str = "", params: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{reason}: {value!r}")
        self.value = value
        self.reason = reason
        self.code = code  # a stable name for the problem (id_length, id_check, ...)
        self.params = params or {}


@dataclass(frozen=True)
class IdNumber:
    number: str
    area_code: str
    birth_date: dt.date
    sex: str  # MALE or FEMALE


def normalise(value: str) -> str:
    """Full-width to half-width, drop spaces and dashes, upper-case the X."""
    if len(value) == 18 and value[:17].isdigit() and value.isascii():
        return value.upper()  # the common case, without the character loop
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_char(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise IdNumberError(first17, "need 17 digits to compute a check character")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse(value: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-character ID number and derive birth date and sex.

    Raises :class:`IdNumberError` with a reason a person can act on.
    """
    number = normalise(value)
    if len(number) == 15 and number.isdigit():
        number = upgrade_15(number)
    if len(number) != 18:
        raise IdNumberError(
            value,
            f"must be 18 characters, got {len(number)}",
            "id_length",
            {"length": str(len(number))},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(
            value, "only digits, and X as the last character, are allowed", "id_chars"
        )
    if number[0] == "0" or number[:2] in {"00", "10", "20", "30", "40", "60", "70", "80", "90"}:
        raise IdNumberError(
            value,
            f"area code {number[:6]} is not a province code",
            "id_area",
            {"area": number[:6]},
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(
            value,
            f"birth date {number[6:14]} is not a real date",
            "id_birth",
            {"birth": number[6:14]},
        ) from None
    today = today or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    if birth > today:
        raise IdNumberError(
            value,
            f"birth date {birth.isoformat()} is in the future",
            "id_future",
            {"birth": birth.isoformat()},
        )
    if birth.year < 1880:
        raise IdNumberError(
            value, f"birth year {birth.year} is implausible", "id_old", {"year": str(birth.year)}
        )
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            value,
            f"check character is {number[17]}, expected {expected}",
            "id_check",
            {"got": number[17], "expected": expected},
        )
    sex = MALE if int(number[16]) % 2 == 1 else FEMALE
    return IdNumber(number=number, area_code=number[:6], birth_date=birth, sex=sex)


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except IdNumberError:
        return False
    return True


def upgrade_15(number: str) -> str:
    """Convert a 15-digit (GB 11643-1989) number to 18 characters."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_char(first17)


def make(area_code: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a valid number (for synthetic people only). ``sequence`` is 0..499."""
    if not 0 <= sequence <= 499:
        raise ValueError("sequence must be 0..499")
    seq = sequence * 2 + (1 if sex == MALE else 0)
    first17 = f"{area_code}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)
