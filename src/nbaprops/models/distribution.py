"""A distribution, not a number: LightGBM quantile models give P(stat > L) for any line L of a player-game.

One LightGBM model per quantile level (the pinball loss), fitted on any target array, so the same code serves
points or another stat. Per row the predicted quantiles are sorted (separately fitted models can cross), then the
CDF is linear between them; beyond the outer levels it has exponential tails whose rate matches the slope between
the two outermost quantiles (at most one unit of the stat per e-fold, so squeezed quantiles do not give a cliff):
P is monotone in L, within [0, 1], and reaches 0 or 1 only through floating-point underflow far in a tail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nbaprops.models.config import GbmParams

if TYPE_CHECKING:  # imported where models are fitted: it takes seconds (sklearn, scipy, pandas)
    import lightgbm as lgb

_MIN_GAP = 1e-3  # separates equal quantiles so the interpolated CDF stays strictly increasing
_MAX_TAIL_RATE = 1.0  # per unit of the stat


@dataclass(frozen=True)
class QuantileModel:
    levels: np.ndarray  # increasing, in (0, 1)
    boosters: tuple[lgb.Booster, ...]
    num_threads: int

    def quantiles(self, X: np.ndarray) -> np.ndarray:
        """(rows, levels) predicted quantiles, sorted along each row and made strictly increasing."""
        if len(X) == 0:
            return np.empty((0, len(self.levels)))
        raw = np.column_stack([b.predict(X, num_threads=self.num_threads) for b in self.boosters])
        return monotone(raw)


def monotone(q: np.ndarray) -> np.ndarray:
    """Sort each row and push ties apart by _MIN_GAP: quantile models fitted separately can cross."""
    s = np.sort(q, axis=1)
    return np.maximum.accumulate(s + _MIN_GAP * np.arange(s.shape[1]), axis=1)


def fit_quantiles(
    X: np.ndarray,
    y: np.ndarray,
    dates: np.ndarray,
    train_end: dt.date,
    levels: tuple[float, ...],
    params: GbmParams,
    feature_names: tuple[str, ...],
) -> QuantileModel:
    """One model per level on rows dated before train_end (re-checked here, as fit_gbm does)."""
    if len(y) == 0 or not (dates < np.datetime64(train_end)).all():
        raise ValueError(f"quantile models need training rows, all dated before {train_end}")
    if list(levels) != sorted(set(levels)) or not 0 < levels[0] < levels[-1] < 1:
        raise ValueError(f"quantile levels must be increasing and inside (0, 1), got {levels}")
    import lightgbm as lgb

    base = {**params.model_dump(), "objective": "quantile"}
    boosters = []
    for level in levels:
        model = lgb.LGBMRegressor(**base, alpha=level, verbose=-1, deterministic=True, force_row_wise=True)
        model.fit(X, y, feature_name=list(feature_names))
        boosters.append(model.booster_)
    return QuantileModel(np.asarray(levels, dtype=float), tuple(boosters), params.num_threads)


def prob_over(q: np.ndarray, levels: np.ndarray, line: np.ndarray) -> np.ndarray:
    """P(stat > line) per row from its strictly increasing quantiles q (rows, levels); NaN where line is NaN."""
    n = len(line)
    cdf = np.full(n, np.nan)
    for i in range(n):
        if not np.isnan(line[i]):
            cdf[i] = _cdf(q[i], levels, line[i])
    return 1.0 - cdf


def _cdf(q: np.ndarray, levels: np.ndarray, x: float) -> float:
    if x < q[0]:
        rate = min(np.log(levels[1] / levels[0]) / (q[1] - q[0]), _MAX_TAIL_RATE)
        return float(levels[0] * np.exp(rate * (x - q[0])))
    if x > q[-1]:
        rate = min(np.log((1 - levels[-2]) / (1 - levels[-1])) / (q[-1] - q[-2]), _MAX_TAIL_RATE)
        return float(1 - (1 - levels[-1]) * np.exp(-rate * (x - q[-1])))
    return float(np.interp(x, q, levels))
