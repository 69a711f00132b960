"""Quantile distribution: P(over) is monotone in the line and inside (0, 1); calibration metrics by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.models.config import GbmParams
from nbaprops.models.distribution import fit_quantiles, monotone, prob_over
from nbaprops.models.metrics import (
    brier_score,
    expected_calibration_error,
    interval_coverage,
    log_loss,
    reliability_curve,
)

LEVELS = np.array([0.1, 0.25, 0.5, 0.75, 0.9])


@given(
    st.lists(st.floats(0, 60), min_size=5, max_size=5),
    st.lists(st.floats(-20, 90), min_size=2, max_size=30),
)
def test_prob_over_is_monotone_in_the_line_and_within_0_1(raw, lines):
    q = monotone(np.array([raw]))
    line = np.sort(np.array(lines))
    p = prob_over(np.repeat(q, len(line), axis=0), LEVELS, line)
    assert ((p >= 0) & (p <= 1)).all()
    assert (np.diff(p) <= 1e-12).all()


def test_prob_over_hits_the_levels_at_the_quantiles():
    q = np.array([[10.0, 14.0, 18.0, 23.0, 28.0]])
    p = prob_over(np.repeat(q, 3, axis=0), LEVELS, np.array([14.0, 20.5, 28.0]))
    # at q(0.25) P(over) = 0.75; 20.5 is halfway between q(0.5)=18 and q(0.75)=23 -> 1 - 0.625; at q(0.9) 0.1
    assert p == pytest.approx([0.75, 0.375, 0.1])
    assert np.isnan(prob_over(q, LEVELS, np.array([np.nan])))[0]
    # tails: 2 points beyond q(0.9) with the tail rate capped at 1/point: 0.1 * e^-2; below q(0.1) by 1 point,
    # rate ln(0.25/0.1)/4 per point
    tails = prob_over(np.repeat(q, 2, axis=0), LEVELS, np.array([30.0, 9.0]))
    assert tails == pytest.approx([0.1 * np.exp(-2 * min(np.log(0.25 / 0.1) / 5, 1)), 1 - 0.1 * (0.1 / 0.25) ** 0.25])


def test_crossing_quantiles_are_sorted_and_separated():
    q = monotone(np.array([[12.0, 10.0, 10.0, 20.0, 15.0]]))
    assert (np.diff(q[0]) > 0).all()
    assert q[0][0] == 10.0 and q[0][-1] == pytest.approx(20.0 + 4e-3)


def test_fitted_quantiles_cover_a_known_distribution():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4000, len(FEATURES)))
    y = 20 + 5 * X[:, 0] + rng.normal(scale=4, size=4000)
    dates = np.full(4000, np.datetime64("2024-01-01"))
    params = GbmParams(n_estimators=100, min_child_samples=50)
    model = fit_quantiles(X[:3000], y[:3000], dates[:3000], dt.date(2024, 1, 2), (0.1, 0.5, 0.9), params, FEATURES)
    q = model.quantiles(X[3000:])
    assert interval_coverage(q[:, 0], q[:, 2], y[3000:]) == pytest.approx(0.8, abs=0.06)
    with pytest.raises(ValueError, match="before 2024-01-01"):
        fit_quantiles(X, y, dates, dt.date(2024, 1, 1), (0.1, 0.5, 0.9), params, FEATURES)


def test_calibration_metrics_by_hand():
    p = np.array([0.1, 0.15, 0.8, 0.9])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    assert brier_score(p, y) == pytest.approx((0.01 + 0.7225 + 0.04 + 0.01) / 4)
    assert log_loss(p, y) == pytest.approx(-(np.log(0.9) + np.log(0.15) + np.log(0.8) + np.log(0.9)) / 4)
    curve = reliability_curve(p, y)
    assert [(b["bin"], b["rows"]) for b in curve] == [("0.1-0.2", 2), ("0.8-0.9", 1), ("0.9-1.0", 1)]
    # bin 0.1-0.2: mean 0.125 vs observed 0.5; 0.8: 0.8 vs 1; 0.9: 0.9 vs 1
    assert expected_calibration_error(p, y) == pytest.approx((2 * 0.375 + 0.2 + 0.1) / 4)
    assert interval_coverage(np.array([0, 5]), np.array([10, 8]), np.array([10, 9])) == 0.5
