"""One screening record as a phone or another system sends it: checked field by field.

A record is a plain mapping (decoded JSON). :func:`parse_record` returns the cleaned
:class:`Record`, or every problem found, each naming its field and the reason, so a batch
can answer per record and keep the good ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

METHODS = ("door", "phone", "self")
SYMPTOMS = ("fever", "cough", "fatigue", "taste_smell", "sore_throat", "breathing", "diarrhoea")
NEEDS = ("medicine", "food", "help")
QUARANTINE = ("none", "home", "centralised")
FEVER_FROM = 37.3  # °C: 发热 from 37.3 (the national screening threshold)
TEMPERATURE_RANGE = (34.0, 43.0)
MAX_DAYS_BACK = 7  # a phone queue or a late import may bring last week's checks, no older
CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
FIELDS = frozenset(
    {
        "client_id",
        "day",
        "household",
        "resident",
        "method",
        "temperature",
        "symptoms",
        "travel_from",
        "from_risk_area",
        "case_contact",
        "quarantine",
        "needs",
        "note",
    }
)


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str


# Not frozen: a frozen dataclass sets each of its 14 fields through object.__setattr__,
# which made building the record a third of the time it takes to check it (a batch checks
# 1,000 at a time).
@dataclass(slots=True)
class Record:
    client_id: str
    day: dt.date
    household: int | None
    resident: int | None
    method: str
    temperature: float | None
    symptoms: tuple[str, ...] = ()
    travel_from: str = ""
    from_risk_area: bool = False
    case_contact: bool = False
    quarantine: str = "none"
    needs: tuple[str, ...] = ()
    note: str = ""
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def fever(self) -> bool:
        return "fever" in self.symptoms or (
            self.temperature is not None and self.temperature >= FEVER_FROM
        )

    @property
    def all_normal(self) -> bool:
        return not (
            self.fever
            or self.symptoms
            or self.from_risk_area
            or self.case_contact
            or self.quarantine != "none"
            or self.needs
        )


def _id(raw: Any, name: str, problems: list[Problem]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        problems.append(Problem(name, "must be a whole number (an id)"))
        return None
    try:
        value = int(raw)
    except ValueError:
        problems.append(Problem(name, f"“{raw}” is not a whole number (an id)"))
        return None
    if value <= 0:
        problems.append(Problem(name, "must be a positive id"))
        return None
    return value


def _choices(raw: Any, name: str, allowed: tuple[str, ...], problems: list[Problem]):
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        problems.append(Problem(name, "must be a list"))
        return ()
    unknown = [str(x) for x in raw if x not in allowed]
    if unknown:
        problems.append(
            Problem(name, f"unknown {', '.join(unknown)} (allowed: {', '.join(allowed)})")
        )
        return ()
    return tuple(sorted(set(raw)))


def _flag(raw: Any, name: str, problems: list[Problem]) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        problems.append(Problem(name, "must be true or false"))
        return False
    return raw


def _day(raw: Any, today: dt.date, problems: list[Problem]) -> dt.date:
    if raw is None or raw == "":
        return today
    try:
        day = dt.date.fromisoformat(str(raw))
    except ValueError:
        problems.append(Problem("day", f"“{raw}” is not a date (YYYY-MM-DD)"))
        return today
    if day > today:
        problems.append(Problem("day", f"{day} is in the future"))
    elif (today - day).days > MAX_DAYS_BACK:
        problems.append(Problem("day", f"{day} is more than {MAX_DAYS_BACK} days ago"))
    return day


def _temperature(raw: Any, problems: list[Problem]) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        problems.append(Problem("temperature", "must be a number in °C"))
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        problems.append(Problem("temperature", f"“{raw}” is not a number in °C"))
        return None
    low, high = TEMPERATURE_RANGE
    if not low <= value <= high:
        problems.append(Problem("temperature", f"{value} °C is outside {low}–{high} °C"))
        return None
    return round(value, 1)


def _text(raw: Any, name: str, limit: int, problems: list[Problem]) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        problems.append(Problem(name, "must be text"))
        return ""
    if len(raw) > limit:
        problems.append(Problem(name, f"longer than {limit} characters"))
        return ""
    return raw.strip()


def parse_record(raw: Any, *, today: dt.date) -> Record:
    """The cleaned record; ``record.problems`` lists every problem (empty when valid)."""
    if not isinstance(raw, dict | Mapping):  # dict first: the ABC check is slower
        return Record("", today, None, None, "door", None, problems=(Problem("", "not an object"),))
    problems: list[Problem] = []
    if not FIELDS.issuperset(raw):
        problems.append(Problem(min(raw.keys() - FIELDS), "unknown field"))
    client_id = raw.get("client_id")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        problems.append(
            Problem("client_id", "required: 8–64 letters, digits or -_.: (a UUID is best)")
        )
        client_id = ""
    household = _id(raw.get("household"), "household", problems)
    resident = _id(raw.get("resident"), "resident", problems)
    if (
        household is None
        and resident is None
        and not any(p.field in {"household", "resident"} for p in problems)
    ):
        problems.append(Problem("household", "give the household or the resident checked"))
    method = raw.get("method", "door")
    if method not in METHODS:
        problems.append(Problem("method", f"“{method}” is not one of {', '.join(METHODS)}"))
        method = "door"
    quarantine = raw.get("quarantine", "none") or "none"
    if quarantine not in QUARANTINE:
        problems.append(
            Problem("quarantine", f"“{quarantine}” is not one of {', '.join(QUARANTINE)}")
        )
        quarantine = "none"
    travel_from = _text(raw.get("travel_from"), "travel_from", 100, problems)
    from_risk_area = _flag(raw.get("from_risk_area"), "from_risk_area", problems)
    if from_risk_area and not travel_from:
        problems.append(Problem("travel_from", "say where from when from_risk_area is true"))
    return Record(
        client_id=client_id,
        day=_day(raw.get("day"), today, problems),
        household=household,
        resident=resident,
        method=method,
        temperature=_temperature(raw.get("temperature"), problems),
        symptoms=_choices(raw.get("symptoms"), "symptoms", SYMPTOMS, problems),
        travel_from=travel_from,
        from_risk_area=from_risk_area,
        case_contact=_flag(raw.get("case_contact"), "case_contact", problems),
        quarantine=quarantine,
        needs=_choices(raw.get("needs"), "needs", NEEDS, problems),
        note=_text(raw.get("note"), "note", 300, problems),
        problems=tuple(problems),
    )
