"""Roll-ups equal the sum of their parts, however the communities are grouped."""

from hypothesis import given
from hypothesis import strategies as st

from linli.domain.screening.figures import COUNTS, Figures, roll_up

figures = st.builds(
    Figures,
    **{name: st.integers(min_value=0, max_value=10_000) for name in COUNTS},
    stock_days_left=st.none() | st.floats(min_value=0, max_value=365, allow_nan=False),
)
# communities grouped into streets, streets into districts
city = st.lists(st.lists(st.lists(figures, max_size=6), max_size=5), max_size=5)


@given(city)
def test_city_rollup_is_the_sum_of_districts_of_streets_of_communities(districts):
    communities = [c for district in districts for street in district for c in street]
    by_levels = roll_up(roll_up(roll_up(street) for street in district) for district in districts)
    flat = roll_up(communities)
    assert by_levels == flat
    for name in COUNTS:
        assert getattr(flat, name) == sum(getattr(c, name) for c in communities)
    stocks = [c.stock_days_left for c in communities if c.stock_days_left is not None]
    assert flat.stock_days_left == (min(stocks) if stocks else None)


def test_nothing_happened_is_what_a_zero_report_claims():
    assert Figures(screened=40, quarantined_home=2).nothing_happened
    assert not Figures(fever=1).nothing_happened
    assert not Figures(from_risk_areas=1).nothing_happened
