"""From a predicted number to a bet: edge vs the line, a confidence, and OVER / UNDER / PASS."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nbaprops.features.markets import Market
from nbaprops.models.config import ModelConfig

OVER, UNDER, PASS = "OVER", "UNDER", "PASS"
_normal_cdf = np.vectorize(lambda z: 0.5 * (1.0 + math.erf(z / math.sqrt(2.0))), otypes=[float])


@dataclass(frozen=True)
class Decisions:
    edge: np.ndarray  # predicted - line; NaN without a line
    confidence: np.ndarray  # P(the predicted side wins) under Normal(predicted, sigma); NaN without a line
    recommendation: np.ndarray  # OVER / UNDER / PASS (always PASS without a line)


def decide(predicted: np.ndarray, line: np.ndarray, spread: np.ndarray, market: Market, cfg: ModelConfig) -> Decisions:
    """PASS unless there is a real line, |edge| >= the market's min_edge and confidence >= min_confidence.

    The spread is the player's own recent std of the market's stat (floored at the market's min_sigma), so a 2-point
    edge on a volatile scorer is less sure than on a steady one.
    """
    edge = predicted - line
    sigma = np.maximum(np.nan_to_num(spread, nan=market.min_sigma), market.min_sigma)
    confidence = np.where(np.isnan(edge), np.nan, _normal_cdf(np.abs(np.nan_to_num(edge)) / sigma))
    bet = ~np.isnan(edge) & (np.abs(np.nan_to_num(edge)) >= market.min_edge) & (confidence >= cfg.min_confidence)
    side = np.where(np.nan_to_num(edge) > 0, OVER, UNDER)
    return Decisions(edge, confidence, np.where(bet & (np.nan_to_num(edge) != 0), side, PASS).astype(object))
