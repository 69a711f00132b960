import numpy as np
import pytest

from nbaprops.models.config import MovingAverageConfig
from nbaprops.models.moving_average import moving_average_points

CFG = MovingAverageConfig()
NEUTRAL = {"fatigue": 100.0, "pace": 0.0, "shot_zone_mismatch": 0.0, "usage_spike": 0.0}


def points(scores=None, l5=20.0, l10=16.0, season=10.0, cfg=CFG):
    s = {k: np.array([v]) for k, v in {**NEUTRAL, **(scores or {})}.items()}
    return float(moving_average_points(np.array([l5]), np.array([l10]), np.array([season]), s, cfg)[0])


def test_spec_weights_with_neutral_context():
    assert points() == pytest.approx(0.5 * 20 + 0.3 * 16 + 0.2 * 10)


def test_each_adjustment_has_the_agreed_sign():
    base = points()
    assert points({"fatigue": 70.0}) < base  # fatigue_score: higher = fresher, so a tired player scores less
    assert points({"pace": 2.0}) > base
    assert points({"shot_zone_mismatch": 5.0}) > base
    assert points({"usage_spike": 2.0}) > base
    assert points({"usage_spike": -2.0}) < base


def test_each_adjustment_is_bounded():
    base = points()
    assert points({"fatigue": 0.0}) == pytest.approx(base - CFG.fatigue.bound)
    assert points({"pace": 1e6}) == pytest.approx(base + CFG.pace.bound)
    assert points({"shot_zone_mismatch": -1e6}) == pytest.approx(base - CFG.shot_zone_mismatch.bound)


def test_total_adjustment_is_bounded_and_points_never_negative():
    extreme = {"pace": 1e6, "shot_zone_mismatch": 1e6, "usage_spike": 1e6}
    assert points(extreme) == pytest.approx(points() + CFG.max_total_adjustment)
    assert points({"fatigue": 0.0, "pace": -9.0}, l5=0.5, l10=0.5, season=0.5) == 0.0


def test_a_missing_score_adjusts_nothing_and_missing_form_gives_no_prediction():
    """Feature version 4 leaves a value its sources lack NULL (NaN here): the rule then skips that adjustment, and
    a player with no played game this season gets no moving-average prediction rather than a made-up one."""
    base = points()
    for name in NEUTRAL:
        assert points({name: np.nan}) == base
    assert points({"fatigue": np.nan, "pace": 2.0}) == points({"pace": 2.0})
    assert np.isnan(points(l5=np.nan, l10=np.nan, season=np.nan))
