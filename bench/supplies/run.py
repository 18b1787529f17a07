"""Fair allocation at city scale: the exact fast-forwarded allocation against the peer, plain
unit-by-unit progressive filling (the textbook definition of the same rule), on the same
instances; both results must be identical.

    .venv/bin/python -m bench.supplies.run
"""

from __future__ import annotations

import heapq
import random
import time
from fractions import Fraction

from linli.domain.supplies.allocation import Claim, allocate


def peer(stock: int, claims: list[Claim]) -> list[int]:
    """Unit by unit: minimums first, then each unit to the lowest allocated/weight."""
    mins = [min(c.minimum, c.need) for c in claims]
    if sum(mins) > stock:
        lows, highs = [0] * len(claims), mins
    else:
        lows, highs = mins, [c.need for c in claims]
    alloc = list(lows)
    left = stock - sum(alloc)
    heap = [
        (Fraction(a, c.weight), i)
        for i, (a, c) in enumerate(zip(alloc, claims, strict=True))
        if a < highs[i]
    ]
    heapq.heapify(heap)
    while left > 0 and heap:
        _, i = heapq.heappop(heap)
        alloc[i] += 1
        left -= 1
        if alloc[i] < highs[i]:
            heapq.heappush(heap, (Fraction(alloc[i], claims[i].weight), i))
    return alloc


def instance(rng: random.Random, posts: int, mean_need: int) -> tuple[int, list[Claim]]:
    claims = [
        Claim(
            i,
            need=rng.randint(mean_need // 2, mean_need * 3 // 2),
            weight=rng.randint(1, 8),
            minimum=rng.choice([0, 0, 0, mean_need // 10]),
        )
        for i in range(posts)
    ]
    return int(sum(c.need for c in claims) * 0.6), claims


def main() -> None:
    rng = random.Random(7)
    print(f"{'posts':>6} {'stock':>9} {'linli s':>9} {'peer s':>9} {'ratio':>7} same")
    for posts, mean_need in [(30, 500), (300, 500), (3000, 200)]:
        stock, claims = instance(rng, posts, mean_need)
        t0 = time.perf_counter()
        ours = [s.allocated for s in allocate(stock, claims).shares]
        t1 = time.perf_counter()
        theirs = peer(stock, claims)
        t2 = time.perf_counter()
        print(
            f"{posts:>6} {stock:>9} {t1 - t0:>9.4f} {t2 - t1:>9.4f} "
            f"{(t2 - t1) / max(t1 - t0, 1e-9):>6.1f}x {ours == theirs}"
        )


if __name__ == "__main__":
    main()
