"""Fair allocation of scarce stock among requests: weighted max-min fairness with minimums.

The rule (what the lead sees on the allocation page):

1. Nobody gets more than they asked for (their *need*).
2. Critical posts first get their *minimum* (capped at their need). If the stock cannot cover
   every minimum, the stock is shared out over the minimums alone by the same fair rule and
   every claim is marked ``minimum_short``.
3. The rest is given out unit by unit, each unit to the claim whose level ``allocated / weight``
   is lowest (ties: the earlier claim in the list). The weight is a positive integer, e.g. the
   number of people a post serves, so a post serving twice as many gets twice the level step.
4. The result is max-min fair: no unit can move from one claim to another that is lower in
   level without making the giver's level lower than the receiver's was.

The unit-by-unit rule is computed exactly with integers and fractions: the allocation is
first fast-forwarded to a common level just below the continuous water level, then finished
unit by unit, so large stocks cost no more than small ones.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from fractions import Fraction

# Why a claim got what it got.
NEED_MET = "need_met"  # got everything it asked for
MINIMUM = "minimum"  # got its minimum and no more: others were lower
FAIR_SHARE = "fair_share"  # got the common fair level
MINIMUM_SHORT = "minimum_short"  # stock below the sum of minimums: minimums shared fairly


class AllocationError(ValueError):
    """A claim that cannot be allocated, naming which claim and what is wrong."""


@dataclass(frozen=True)
class Claim:
    id: int
    need: int
    weight: int = 1
    minimum: int = 0


@dataclass(frozen=True)
class Share:
    id: int
    allocated: int
    need: int
    minimum: int
    weight: int
    reason: str


@dataclass(frozen=True)
class Allocation:
    stock: int
    shares: tuple[Share, ...]
    level: Fraction  # the fair level reached (allocated / weight of the lowest unsatisfied claim)

    @property
    def total(self) -> int:
        return sum(s.allocated for s in self.shares)

    def by_id(self) -> dict[int, Share]:
        return {s.id: s for s in self.shares}


def _check(stock: int, claims: list[Claim]) -> None:
    if stock < 0:
        raise AllocationError(f"stock is {stock}; it cannot be negative")
    seen: set[int] = set()
    for c in claims:
        if c.id in seen:
            raise AllocationError(f"claim {c.id} appears twice")
        seen.add(c.id)
        if c.need < 0:
            raise AllocationError(f"claim {c.id}: need {c.need} is negative")
        if c.minimum < 0:
            raise AllocationError(f"claim {c.id}: minimum {c.minimum} is negative")
        if c.weight < 1:
            raise AllocationError(f"claim {c.id}: weight {c.weight} must be at least 1")


def _water_level(stock: int, lows: list[int], highs: list[int], weights: list[int]) -> Fraction:
    """The continuous level t with sum(clamp(w*t, low, high)) == stock (stock < sum(highs))."""
    points = sorted({Fraction(x, w) for x, w in zip(lows + highs, weights + weights, strict=True)})

    def filled(t: Fraction) -> Fraction:
        return sum(
            (min(max(w * t, lo), hi) for lo, hi, w in zip(lows, highs, weights, strict=True)),
            Fraction(0),
        )

    # filled() grows with t: bisect for the last breakpoint that does not overfill
    lo_t, first, last = Fraction(0), 0, len(points)
    while first < last:
        mid = (first + last) // 2
        if filled(points[mid]) <= stock:
            lo_t, first = points[mid], mid + 1
        else:
            last = mid
    active = sum(w for lo, hi, w in zip(lows, highs, weights, strict=True) if lo <= w * lo_t < hi)
    if active == 0:
        return lo_t
    return lo_t + (stock - filled(lo_t)) / active


def _fill(stock: int, lows: list[int], highs: list[int], weights: list[int]) -> list[int]:
    """Unit-by-unit filling from ``lows`` (sum <= stock) towards ``highs``, lowest level first."""
    if sum(highs) <= stock:
        return list(highs)
    t = _water_level(stock, lows, highs, weights)
    start = max(Fraction(0), t - 1)
    # The state of unit-by-unit filling at the moment every open claim has reached level `start`.
    alloc = [
        min(max(math.ceil(w * start), lo), hi)
        for lo, hi, w in zip(lows, highs, weights, strict=True)
    ]
    left = stock - sum(alloc)
    heap = [
        (Fraction(a, w), i)
        for i, (a, hi, w) in enumerate(zip(alloc, highs, weights, strict=True))
        if a < hi
    ]
    heapq.heapify(heap)
    while left > 0 and heap:
        _, i = heapq.heappop(heap)
        alloc[i] += 1
        left -= 1
        if alloc[i] < highs[i]:
            heapq.heappush(heap, (Fraction(alloc[i], weights[i]), i))
    return alloc


def allocate(stock: int, claims: list[Claim]) -> Allocation:
    """Share ``stock`` among ``claims`` by the rule in this module's docstring."""
    _check(stock, claims)
    weights = [c.weight for c in claims]
    needs = [c.need for c in claims]
    minimums = [min(c.minimum, c.need) for c in claims]
    if sum(minimums) > stock:
        alloc = _fill(stock, [0] * len(claims), minimums, weights)
        reasons = [MINIMUM_SHORT] * len(claims)
    else:
        alloc = _fill(stock, minimums, needs, weights)
        reasons = []
        for a, c, m in zip(alloc, claims, minimums, strict=True):
            if a >= c.need:
                reasons.append(NEED_MET)
            elif a == m and m > 0:
                reasons.append(MINIMUM)
            else:
                reasons.append(FAIR_SHARE)
    open_levels = [
        Fraction(a, c.weight)
        for a, c, r in zip(alloc, claims, reasons, strict=True)
        if r in (FAIR_SHARE, MINIMUM_SHORT)
    ]
    level = min(open_levels) if open_levels else Fraction(0)
    shares = tuple(
        Share(c.id, a, c.need, m, c.weight, r)
        for c, a, m, r in zip(claims, alloc, minimums, reasons, strict=True)
    )
    return Allocation(stock=stock, shares=shares, level=level)
