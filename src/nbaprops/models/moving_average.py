"""The SPEC's moving-average rule system: a weighted form average of the market's stat plus small, bounded context
adjustments (in points: the points market only)."""

from __future__ import annotations

import numpy as np

from nbaprops.models.config import Adjustment, MovingAverageConfig
from nbaprops.models.frame import FeatureFrame

# feature column of each adjustment; every score is signed so that positive means more points
ADJUSTED_SCORES = {
    "fatigue": "fatigue_score",
    "pace": "pace_score",
    "shot_zone_mismatch": "shot_zone_mismatch_score",
    "usage_spike": "usage_spike_score",
}


def adjustment(score: np.ndarray, rule: Adjustment) -> np.ndarray:
    """The bounded adjustment; a missing score (NULL in the feature store) adjusts nothing - the rule is not
    applied without its input. Missing form stays missing: no history, no moving-average prediction (NaN)."""
    return np.nan_to_num(np.clip(rule.weight * (score - rule.neutral), -rule.bound, rule.bound), nan=0.0)


def moving_average_points(
    last_5: np.ndarray, last_10: np.ndarray, season: np.ndarray, scores: dict[str, np.ndarray], cfg: MovingAverageConfig
) -> np.ndarray:
    """Weighted form plus the total of the adjustments (clamped to +-max_total_adjustment), never below zero."""
    base = cfg.weight_last_5 * last_5 + cfg.weight_last_10 * last_10 + cfg.weight_season * season
    total = sum((adjustment(scores[name], getattr(cfg, name)) for name in ADJUSTED_SCORES), np.zeros_like(base))
    return np.maximum(base + np.clip(total, -cfg.max_total_adjustment, cfg.max_total_adjustment), 0.0)


def predict_moving_average(frame: FeatureFrame, cfg: MovingAverageConfig) -> np.ndarray:
    """The weighted form of the frame's market; the adjustments only where the market declares them."""
    form, market = frame.market.form, frame.market
    if market.adjustments:
        scores = {name: frame.feature(column) for name, column in ADJUSTED_SCORES.items()}
    else:
        scores = {name: np.full(len(frame), np.nan) for name in ADJUSTED_SCORES}  # a missing score adjusts nothing
    return moving_average_points(
        frame.feature(form["last_5"]), frame.feature(form["last_10"]), frame.feature(form["season"]), scores, cfg
    )
