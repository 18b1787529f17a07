"""An attacker's tools against masked ID numbers, written independently of the code under
test (it must be able to fail against any masking): every 18-character window of an
output, masked values found in it, and how many full numbers stay possible for a masked
value once everything the rest of a record can tell (area, birth date, sex) is known.

GB 11643: 6 digits of area, 8 of birth date, a 3-digit sequence whose last digit is odd
for men, and a check character (ISO 7064 MOD 11-2) over the first 17."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from functools import cache

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
WINDOW = re.compile(r"(?=([0-9]{17}[0-9Xx]))")
RUN = re.compile(r"[0-9*Xx]{18,}")
FIRST_DAY, LAST_DAY = dt.date(1880, 1, 1), dt.date(2026, 12, 31)


def windows(text: str) -> set[str]:
    """Every 18-character run of digits (the last may be X), overlapping ones included."""
    return {m.group(1).upper() for m in WINDOW.finditer(text)}


def masked_values(text: str) -> set[str]:
    """Every 18-character window of digits, X and ``*`` with at least one ``*``."""
    found = set()
    for m in RUN.finditer(text):
        run = m.group(0).upper()
        if "*" in run:
            found |= {run[i : i + 18] for i in range(len(run) - 17) if "*" in run[i : i + 18]}
    return found


def _partial(digits: str, offset: int) -> int:
    return sum(int(d) * WEIGHTS[offset + i] for i, d in enumerate(digits))


def _fits(pattern: str, digits: str) -> bool:
    return all(p in ("*", d) for p, d in zip(pattern, digits, strict=True))


@cache
def _birth_sums(pattern: str, known: dt.date | None, year: int | None) -> tuple[int, ...]:
    """How many birth dates fit the visible digits, by their weighted sum mod 11."""
    days = [known] if known else _days(year)
    counts = [0] * 11
    for day in days:
        digits = f"{day:%Y%m%d}"
        if _fits(pattern, digits):
            counts[_partial(digits, 6) % 11] += 1
    return tuple(counts)


def _days(year: int | None) -> list[dt.date]:
    first = dt.date(year, 1, 1) if year else FIRST_DAY
    last = dt.date(year, 12, 31) if year else LAST_DAY
    return [first + dt.timedelta(n) for n in range((last - first).days + 1)]


@cache
def _sequence_sums(pattern: str, sex: str | None) -> tuple[int, ...]:
    counts = [0] * 11
    for n in range(1000):
        digits = f"{n:03d}"
        if sex and (n % 2 == 1) != (sex == "M"):
            continue
        if _fits(pattern, digits):
            counts[_partial(digits, 14) % 11] += 1
    return tuple(counts)


def candidates(
    masked: str,
    *,
    area: str,
    birth_date: dt.date | None = None,
    birth_year: int | None = None,
    sex: str | None = None,
) -> int:
    """How many valid numbers fit ``masked`` for a reader who knows the area code, and the
    birth date (or year) and sex when given: 1 means the number is rebuilt."""
    masked = masked.upper()
    if not _fits(masked[:6], area):
        return 0
    births = _birth_sums(masked[6:14], birth_date, birth_year)
    sequences = _sequence_sums(masked[14:17], sex)
    head = _partial(area, 0)
    total = 0
    for b, nb in enumerate(births):
        for s, ns in enumerate(sequences):
            if nb and ns and masked[17] in ("*", CHECK[(head + b + s) % 11]):
                total += nb * ns
    return total


def texts_of(content: bytes, kind: str) -> str:
    """The text a reader finds in a downloaded file: every cell of an xlsx, a csv as is."""
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    text = content.decode("utf-8-sig")
    return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(text)))


def leak_report(text: str, people: list) -> Counter:
    """What ``text`` gives away about ``people`` (objects with id_number, birth_date, sex):
    ``full`` numbers present, and for each masked value the fewest numbers left possible
    by the person it could be, knowing their area, birth date and sex (``rebuilt`` when
    one is left, ``narrowed`` when fewer than 100)."""
    found: Counter = Counter()
    secrets = {p.id_number.upper() for p in people if p.id_number}
    found["full"] = len(windows(text) & secrets)
    for value in masked_values(text):
        for person in _could_be(value, people):
            number = person.id_number.upper()
            left = candidates(
                value, area=number[:6], birth_date=person.birth_date, sex=person.sex or None
            )
            found["masked"] += 1
            found["rebuilt"] += left == 1
            found["narrowed"] += left < 100
            found["fewest"] = min(found.get("fewest", left), left)
    return found


def _could_be(value: str, people: list) -> list:
    """The people whose number fits the visible characters of ``value``."""
    by_head = _index(people)
    for size in (14, 6):
        if "*" not in value[:size]:
            pool = by_head.get(value[:size], [])
            break
    else:
        pool = by_head[""]
    return [p for p in pool if _fits(value, p.id_number.upper())]


_indexes: dict[int, tuple[list, dict[str, list]]] = {}


def _index(people: list) -> dict[str, list]:
    """People with an 18-character number by its first 14 and first 6 characters ("":
    all of them), kept for the list while it lives."""
    kept = _indexes.get(id(people))
    if kept is None or kept[0] is not people:
        groups: dict[str, list] = {"": []}
        for p in people:
            number = (p.id_number or "").upper()
            if len(number) == 18:
                for head in (number[:14], number[:6], ""):
                    groups.setdefault(head, []).append(p)
        _indexes.clear()
        _indexes[id(people)] = kept = (people, groups)
    return kept[1]
