"""Rules for messages to residents: phone formats, quiet hours, limits, answers, board colours."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")

# No calls at lunch (12:00–14:00) nor at night (21:00–09:00), community time.
DEFAULT_QUIET_HOURS: tuple[tuple[str, str], ...] = (("12:00", "14:00"), ("21:00", "09:00"))
DEFAULT_CHECKIN_TIMES: tuple[str, ...] = ("09:00", "16:00")
CHECKIN_TRIES = 3
CHECKIN_RETRY = dt.timedelta(minutes=10)
# After a failed check-in: the primary guardian first, the backup after this, then the secretary.
ESCALATION_STEP = dt.timedelta(minutes=30)


class PhoneError(ValueError):
    """A phone number the providers refuse; the message says which and why."""


def normalise_phone(raw: str) -> tuple[str, str]:
    """(digits, "mobile" | "landline") for a mainland number, else PhoneError."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if MOBILE.match(digits):
        return digits, "mobile"
    if LANDLINE.match(digits):
        return digits, "landline"
    raise PhoneError(f"{raw!r} is not a mainland mobile (1xxxxxxxxxx) or landline (0xx…) number")


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        raise ValueError(f"{hhmm!r} is not a time of day")
    return value


def in_quiet_hours(local: dt.datetime, windows: tuple[tuple[str, str], ...] | list) -> bool:
    """Whether a local time lies in one of the windows (a window may wrap past midnight)."""
    now = local.hour * 60 + local.minute
    for start, end in windows:
        a, b = _minutes(start), _minutes(end)
        if (a <= now < b) if a < b else (now >= a or now < b):
            return True
    return False


def next_allowed(local: dt.datetime, windows: tuple[tuple[str, str], ...] | list) -> dt.datetime:
    """The first minute at or after ``local`` outside every quiet window."""
    moment = local.replace(second=0, microsecond=0)
    if moment < local:
        moment += dt.timedelta(minutes=1)
    for _ in range(24 * 60 + 1):
        if not in_quiet_hours(moment, windows):
            return moment
        moment += dt.timedelta(minutes=1)
    raise ValueError("the quiet hours cover the whole day")


@dataclass(frozen=True)
class Budget:
    """What a community and a person have used today, and their limits."""

    person_today: int
    person_limit: int
    community_last_minute: int
    community_per_minute: int
    spent_fen: int
    cap_fen: int


def refusal(budget: Budget, cost_fen: int) -> str | None:
    """Why a message may not go now: ``"cap"`` (stop, alert), ``"person"`` (held for the day),
    ``"rate"`` (wait a minute); None when it may go."""
    if budget.cap_fen and budget.spent_fen + cost_fen > budget.cap_fen:
        return "cap"
    if budget.person_today >= budget.person_limit:
        return "person"
    if budget.community_last_minute >= budget.community_per_minute:
        return "rate"
    return None


SAFE, HELP = "safe", "help"
_SMS_SAFE = {"1", "平安", "安全", "好", "ok", "safe"}
_SMS_HELP = {"2", "求助", "需要帮助", "帮助", "help"}


def parse_answer(text: str) -> str | None:
    """ "safe", "help" or None (not an answer) from a keypress or an SMS reply."""
    value = (text or "").strip().strip("。.！!").lower()
    if value in _SMS_SAFE:
        return SAFE
    if value in _SMS_HELP:
        return HELP
    return None


# Board colours
GREEN, YELLOW, RED, GREY, WAITING = "green", "yellow", "red", "grey", "waiting"


def colour(state: str, *, overdue: bool) -> str:
    """A roll-call entry's colour: safe green, needs help yellow, unreachable grey, and no
    answer red once the deadline has passed (waiting before)."""
    if state == SAFE:
        return GREEN
    if state == HELP:
        return YELLOW
    if state == "unreachable":
        return GREY
    return RED if overdue else WAITING


@dataclass(frozen=True)
class CheckinState:
    tries: int
    last_try: dt.datetime | None
    answered: bool


def checkin_step(state: CheckinState, now: dt.datetime) -> str:
    """What to do with an open check-in now: "call" (a try is due), "wait", "missed" (all tries
    went unanswered) or "done"."""
    if state.answered:
        return "done"
    if state.tries == 0:
        return "call"
    assert state.last_try is not None
    if now < state.last_try + CHECKIN_RETRY:
        return "wait"
    return "call" if state.tries < CHECKIN_TRIES else "missed"


def escalation_level(failed_at: dt.datetime, now: dt.datetime) -> str:
    """Who is asked to visit after a failed check-in: primary, then backup, then secretary."""
    if now < failed_at + ESCALATION_STEP:
        return "primary"
    if now < failed_at + 2 * ESCALATION_STEP:
        return "backup"
    return "secretary"


def due_slots(
    day: dt.date, times: list[str] | tuple[str, ...], tz: dt.tzinfo, now: dt.datetime
) -> list[dt.datetime]:
    """The check-in times of ``day`` already reached at ``now``."""
    slots = []
    for hhmm in times:
        minutes = _minutes(hhmm)
        at = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=tz)
        if at <= now:
            slots.append(at)
    return slots
