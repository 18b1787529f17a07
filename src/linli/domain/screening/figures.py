"""The daily report's figures, and their roll-up from communities to street, district, city.

A community's figures come from its records of the day; a roll-up is the sum of the
submitted community reports beneath a place (days of stock left: the lowest), so every
level adds up to the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

# Counted figures, in the order the report shows them.
COUNTS = (
    "screened",
    "fever",
    "from_risk_areas",
    "quarantined_home",
    "quarantined_centralised",
    "released",
    "vulnerable_contacted",
    "vulnerable_overdue",
)


@dataclass(frozen=True)
class Figures:
    screened: int = 0
    fever: int = 0
    from_risk_areas: int = 0
    quarantined_home: int = 0
    quarantined_centralised: int = 0
    released: int = 0
    vulnerable_contacted: int = 0
    vulnerable_overdue: int = 0
    stock_days_left: float | None = None  # the item and place with the fewest days of supply

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def nothing_happened(self) -> bool:
        """What a zero report (零报告) claims: no fever, no arrivals from risk areas, nobody
        newly quarantined or released, nobody vulnerable left overdue."""
        return not (self.fever or self.from_risk_areas or self.released or self.vulnerable_overdue)


def roll_up(parts: Iterable[Figures]) -> Figures:
    """The sum of the parts (stock: the lowest days left among them)."""
    totals = dict.fromkeys(COUNTS, 0)
    lowest: float | None = None
    for part in parts:
        for name in COUNTS:
            totals[name] += getattr(part, name)
        if part.stock_days_left is not None:
            lowest = part.stock_days_left if lowest is None else min(lowest, part.stock_days_left)
    return Figures(**totals, stock_days_left=lowest)


def figure_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Figures))
