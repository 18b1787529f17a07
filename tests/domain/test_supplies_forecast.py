import datetime as dt

import pytest

from linli.domain.supplies.forecast import forecast

TODAY = dt.date(2026, 3, 1)


def test_burn_rate_over_the_window_and_run_out_date():
    issues = [(TODAY, 70), (TODAY - dt.timedelta(days=6), 70), (TODAY - dt.timedelta(days=7), 999)]
    f = forecast(100, issues, today=TODAY, window_days=7, low_days=3)
    assert f.burn_per_day == 20
    assert f.days_of_supply == 5
    assert f.runs_out_on == dt.date(2026, 3, 6)
    assert not f.low


def test_low_when_fewer_days_than_the_threshold():
    f = forecast(30, [(TODAY, 140)], today=TODAY, window_days=7, low_days=3)
    assert f.days_of_supply == 1.5
    assert f.low


def test_no_issues_means_no_forecast_and_empty_stock_is_low():
    assert forecast(10, [], today=TODAY).days_of_supply is None
    assert forecast(0, [], today=TODAY).low


def test_bad_window():
    with pytest.raises(ValueError, match="window_days is 0"):
        forecast(1, [], today=TODAY, window_days=0)
