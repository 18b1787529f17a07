"""Fair allocation: known answers and properties (never over stock, minimums, max-min fair)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.domain.supplies.allocation import (
    FAIR_SHARE,
    MINIMUM,
    MINIMUM_SHORT,
    NEED_MET,
    AllocationError,
    Claim,
    allocate,
)


def test_enough_stock_meets_every_need():
    result = allocate(100, [Claim(1, 30), Claim(2, 50)])
    assert [(s.allocated, s.reason) for s in result.shares] == [(30, NEED_MET), (50, NEED_MET)]


def test_equal_weights_share_equally_and_small_needs_are_met():
    result = allocate(100, [Claim(1, 10), Claim(2, 80), Claim(3, 80)])
    assert [s.allocated for s in result.shares] == [10, 45, 45]
    assert [s.reason for s in result.shares] == [NEED_MET, FAIR_SHARE, FAIR_SHARE]


def test_weights_scale_the_share():
    result = allocate(90, [Claim(1, 100, weight=1), Claim(2, 100, weight=2)])
    assert [s.allocated for s in result.shares] == [30, 60]


def test_minimum_of_a_critical_post_is_kept():
    result = allocate(20, [Claim(1, 50, minimum=15), Claim(2, 50)])
    assert [s.allocated for s in result.shares] == [15, 5]
    assert result.shares[0].reason == MINIMUM


def test_stock_below_minimums_shares_the_minimums_fairly():
    result = allocate(10, [Claim(1, 50, minimum=10), Claim(2, 50, minimum=10)])
    assert [s.allocated for s in result.shares] == [5, 5]
    assert {s.reason for s in result.shares} == {MINIMUM_SHORT}


def test_large_stock_is_fast_and_exact():
    claims = [Claim(i, 1_000_000 + i, weight=1 + i % 5, minimum=i) for i in range(50)]
    result = allocate(10_000_000, claims)
    assert result.total == 10_000_000


@pytest.mark.parametrize(
    ("stock", "claims", "message"),
    [
        (-1, [Claim(1, 5)], "stock is -1"),
        (5, [Claim(1, -5)], "claim 1: need -5 is negative"),
        (5, [Claim(1, 5, minimum=-1)], "claim 1: minimum -1 is negative"),
        (5, [Claim(1, 5, weight=0)], "claim 1: weight 0"),
        (5, [Claim(1, 5), Claim(1, 3)], "claim 1 appears twice"),
    ],
)
def test_bad_input_says_what_and_where(stock, claims, message):
    with pytest.raises(AllocationError, match=message):
        allocate(stock, claims)


claims_strategy = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 6), st.integers(0, 60)), max_size=12
).map(
    lambda rows: [Claim(i, need, weight, minimum) for i, (need, weight, minimum) in enumerate(rows)]
)


@settings(max_examples=400, deadline=None)
@given(stock=st.integers(0, 1500), claims=claims_strategy)
def test_properties(stock, claims):
    result = allocate(stock, claims)
    alloc = [s.allocated for s in result.shares]
    needs = [c.need for c in claims]
    mins = [min(c.minimum, c.need) for c in claims]
    # never exceeds stock or need, and gives out all it can
    assert sum(alloc) <= stock
    assert all(0 <= a <= n for a, n in zip(alloc, needs, strict=True))
    assert sum(alloc) == min(stock, sum(needs) if sum(mins) <= stock else sum(mins))
    if sum(mins) <= stock:
        lows, highs = mins, needs
        assert all(a >= m for a, m in zip(alloc, mins, strict=True))
    else:
        lows, highs = [0] * len(claims), mins
    # max-min fair: no unit can move from j to i where i stays below j's level after the move
    for i, ci in enumerate(claims):
        for j, cj in enumerate(claims):
            if i != j and alloc[i] < highs[i] and alloc[j] > lows[j]:
                assert Fraction(alloc[j] - 1, cj.weight) <= Fraction(alloc[i], ci.weight)
