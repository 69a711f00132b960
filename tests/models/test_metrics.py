import math

import numpy as np
import pytest

from nbaprops.models.metrics import (
    BREAK_EVEN_AT_MINUS_110,
    american_profit,
    calibration_bins,
    error_summary,
    wilson_interval,
)


def test_wilson_interval_known_values():
    low, high = wilson_interval(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-4) and high == pytest.approx(0.5962, abs=1e-4)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[1] == 1.0


def test_wilson_interval_of_nothing_is_undefined():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))


def test_american_odds_profit():
    won = np.array([True, False, True, True])
    profit = american_profit(np.array([-110.0, -110.0, 150.0, -200.0]), won)
    assert profit == pytest.approx([100 / 110, -1.0, 1.5, 0.5])


def test_break_even_at_minus_110():
    assert round(BREAK_EVEN_AT_MINUS_110, 3) == 0.524
    # winning exactly the break-even share at -110 returns nothing
    stakes = american_profit(np.full(210, -110.0), np.arange(210) < 110)
    assert stakes.sum() == pytest.approx(0.0)


def test_error_summary():
    s = error_summary(np.array([10.0, 20.0, 30.0]), np.array([12.0, 26.0, 30.0]))
    assert s["mae"] == pytest.approx(8 / 3) and s["rmse"] == pytest.approx(math.sqrt(40 / 3))
    assert s["within_3"] == pytest.approx(2 / 3) and s["within_5"] == pytest.approx(2 / 3)


def test_calibration_bins_cover_every_row_in_order():
    predicted = np.arange(100, dtype=float)
    bins = calibration_bins(predicted, predicted + 1)
    assert [b["rows"] for b in bins] == [10] * 10
    assert bins[0]["mean_predicted"] == 4.5 and bins[-1]["mean_actual"] == 95.5
