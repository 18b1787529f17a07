"""Frontline wellbeing check-in: PHQ-2 and GAD-2 (public domain; Kroenke, Spitzer et al.),
plus the hours worked in the last week. Each item is answered 0–3 ("not at all" … "nearly
every day"); a score of 3 or more on either scale offers psychological support and tells the
person's lead that rest is needed — never the answers."""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 3
LONG_WEEK_HOURS = 60.0  # hours in 7 days after which rest is needed whatever the answers


@dataclass(frozen=True)
class CheckIn:
    phq2: int
    gad2: int
    hours_7d: float

    @property
    def offer_support(self) -> bool:
        return self.phq2 >= THRESHOLD or self.gad2 >= THRESHOLD

    @property
    def rest_needed(self) -> bool:
        return self.offer_support or self.hours_7d >= LONG_WEEK_HOURS


def score(answers: dict[str, object], hours_7d: float) -> CheckIn:
    """``answers`` holds phq1, phq2, gad1, gad2, each 0..3. Raises ValueError naming the item."""
    values = {}
    for item in ("phq1", "phq2", "gad1", "gad2"):
        raw = answers.get(item)
        try:
            value = int(str(raw))
        except ValueError:
            raise ValueError(f"{item}: answer 0, 1, 2 or 3 (got {raw!r})") from None
        if not 0 <= value <= 3:
            raise ValueError(f"{item}: answer 0, 1, 2 or 3 (got {value})")
        values[item] = value
    return CheckIn(values["phq1"] + values["phq2"], values["gad1"] + values["gad2"], hours_7d)
