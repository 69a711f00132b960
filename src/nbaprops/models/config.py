"""Settings of the prediction systems, validated by pydantic so a typo in a threshold fails loudly."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Adjustment(_Strict):
    """One bounded additive adjustment: points = clamp(weight * (score - neutral), -bound, +bound)."""

    weight: float
    bound: float = Field(ge=0)
    neutral: float = 0.0


class MovingAverageConfig(_Strict):
    """SPEC: 0.5*L5 + 0.3*L10 + 0.2*season, then bounded adjustments whose positive side means more points.

    fatigue_score is 0-100 with higher = fresher and 100 the neutral rested value, so it can only lower the
    prediction (a tired player scores less). The total adjustment is bounded too.
    """

    weight_last_5: float = 0.5
    weight_last_10: float = 0.3
    weight_season: float = 0.2
    fatigue: Adjustment = Adjustment(weight=0.04, bound=1.5, neutral=100.0)
    pace: Adjustment = Adjustment(weight=0.3, bound=1.0)
    shot_zone_mismatch: Adjustment = Adjustment(weight=0.1, bound=1.0)
    usage_spike: Adjustment = Adjustment(weight=0.3, bound=1.0)
    max_total_adjustment: float = Field(default=2.5, ge=0)


class GbmParams(_Strict):
    """LightGBM settings: modest and deterministic so a walk-forward season retrains in seconds.

    The L1 objective predicts the median, which is both what MAE rewards and what an over/under bet needs
    (P(points > line) > 0.5 exactly when the median is above the line). One thread: on a busy 2-core machine
    LightGBM's OpenMP threads spin against each other, and a 50k-row fit took 20 s with 2 threads vs 1 s with 1.
    """

    objective: str = "l1"
    n_estimators: int = 300
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_child_samples: int = 200
    max_bin: int = 63
    colsample_bytree: float = 0.8
    subsample: float = 0.8
    subsample_freq: int = 1
    num_threads: int = 1
    seed: int = 7


class PricingConfig(_Strict):
    """How a probability becomes a bet: the market's fair price, the pick time, the EV threshold and the stake."""

    devig_method: Literal["multiplicative", "power"] = "power"
    pick_minutes_before_tipoff: float = Field(
        default=120, gt=0, description="a pick uses each book's latest snapshot this long before tip-off"
    )
    max_quote_age_hours: float = Field(
        default=12, gt=0, description="a book's quote older than this at the pick (or the close) is not a market then"
    )
    min_ev: float = Field(default=0.02, ge=0, description="PASS below this expected profit per unit at the best price")
    kelly_fraction: float = Field(default=0.25, gt=0, le=1, description="share of the full Kelly stake")
    kelly_cap: float = Field(default=0.02, gt=0, le=1, description="largest stake, as a share of the bankroll")
    market_aware_min_rows: int = Field(
        default=300, ge=10, description="earlier priced rows needed before the model-market blend is fitted"
    )


class ModelConfig(_Strict):
    """Everything a prediction depends on besides the data and a trained GBM."""

    min_confidence: float = Field(default=0.55, ge=0.5, le=1, description="PASS below this P(winning side)")
    ensemble_gbm_weight: float = Field(default=0.7, ge=0, le=1)
    moving_average: MovingAverageConfig = MovingAverageConfig()
    gbm: GbmParams = GbmParams()
    quantiles: tuple[float, ...] = Field(
        default=(0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95),
        min_length=3,
        description="levels of the quantile models behind P(stat > line)",
    )
    pricing: PricingConfig = PricingConfig()

    def digest(self) -> str:
        """Short hash of the settings, part of every model version so changed settings never overwrite rows."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:8]
