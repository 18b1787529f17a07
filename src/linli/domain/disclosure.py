"""The one masking rule for personal identifiers: what a reader receives of an ID number
or a phone number without seeing it in full.

An ID number is 6 digits of area code, 8 of birth date, a 3-digit sequence whose last
digit gives the sex, and a check character computed from the other 17. Every record that
carries it also says — or lets a reader infer — the area (the place), the birth date
and the sex, so hiding those digits protects nothing: the old mask
``510107********4509`` kept the sequence and check, and with the birth date shown beside
it the full number followed. The check character also means that hiding a single digit
protects nothing: it is recomputed. What nothing else in a record says is the sequence
number, so the mask hides it together with the check character::

    51010719400305002X  →  51010719400305****

From the mask and every other field of the record (birth date, age, sex, place) a
reader is left with 500 numbers of the person's sex, one per sequence number, each with
its own check character. The same mask is shown to everybody, whether or not they may
reveal: the full number only through the audited reveal.

A phone keeps its first three and last four digits (``138****5678``): the 10,000 numbers
of the middle four are left. Phones are shown in full only to people who may reveal ID
numbers (who call residents); everybody else gets the mask.

Masking is idempotent: a masked value masked again is unchanged, so data masked at the
source can pass through any expression that masks again.
"""

from __future__ import annotations

import re

ID_KEEP = 14  # area code (6) and birth date (8): what the rest of a record already says
PHONE_HEAD, PHONE_TAIL = 3, 4
HIDDEN = "*"

# Every 18-character window shaped like an ID number, overlapping ones included.
FULL_ID = re.compile(r"(?=([0-9]{17}[0-9X]))", re.IGNORECASE)


def mask_id_number(number: str) -> str:
    """``51010719400305****``: area code and birth date kept, sequence and check hidden.
    Shorter values (15-digit numbers, typing errors) keep proportionally less: never more
    than all but the last four characters, and nothing of a value shorter than ten."""
    number = str(number)
    if len(number) < 10:
        return HIDDEN * len(number)
    keep = min(ID_KEEP, len(number) - 4)
    return number[:keep] + HIDDEN * (len(number) - keep)


def mask_phone(phone: str) -> str:
    """``138****5678``: first three and last four digits kept, at least four hidden;
    a number with fewer than eight digits keeps nothing. Separators are dropped."""
    digits = "".join(ch for ch in str(phone) if ch.isdigit() or ch == HIDDEN)
    if len(digits) < PHONE_HEAD + PHONE_TAIL + 1:
        return HIDDEN * len(digits)
    hidden = len(digits) - PHONE_HEAD - PHONE_TAIL
    return digits[:PHONE_HEAD] + HIDDEN * hidden + digits[-PHONE_TAIL:]


def full_id_numbers_in(text: str) -> set[str]:
    """Every 18-character window of ``text`` shaped like an ID number (17 digits and a
    digit or X, upper-cased), overlapping ones included: what a check of an output for
    full numbers looks for."""
    return {m.group(1).upper() for m in FULL_ID.finditer(str(text))}
