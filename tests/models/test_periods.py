import datetime as dt

import pytest

from nbaprops.models.backtest import periods

D = dt.date


def test_monthly_periods_follow_calendar_months_and_stop_at_the_end():
    assert periods(D(2024, 10, 22), D(2024, 12, 10), "monthly") == [
        (D(2024, 10, 22), D(2024, 11, 1)),
        (D(2024, 11, 1), D(2024, 12, 1)),
        (D(2024, 12, 1), D(2024, 12, 11)),
    ]


def test_weekly_periods_and_year_end():
    spans = periods(D(2024, 12, 20), D(2025, 1, 5), "weekly")
    assert spans == [
        (D(2024, 12, 20), D(2024, 12, 27)),
        (D(2024, 12, 27), D(2025, 1, 3)),
        (D(2025, 1, 3), D(2025, 1, 6)),
    ]
    assert periods(D(2024, 12, 5), D(2025, 1, 2), "monthly")[-1] == (D(2025, 1, 1), D(2025, 1, 3))


def test_bad_arguments():
    with pytest.raises(ValueError):
        periods(D(2024, 12, 5), D(2024, 12, 1), "monthly")
    with pytest.raises(ValueError):
        periods(D(2024, 12, 1), D(2024, 12, 5), "daily")
