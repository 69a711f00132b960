"""Scoring helpers shared by grading, the backtest and its report: errors, Wilson intervals, betting returns."""

from __future__ import annotations

import math

import numpy as np

BREAK_EVEN_AT_MINUS_110 = 110 / 210  # 52.4%: the hit rate at which -110 bets neither win nor lose money


def error_summary(predicted: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    """MAE, RMSE and the shares within 3 and 5 points."""
    err = np.abs(predicted - actual)
    n = len(err)
    if n == 0:
        return {"rows": 0, "mae": math.nan, "rmse": math.nan, "within_3": math.nan, "within_5": math.nan}
    return {
        "rows": n,
        "mae": float(err.mean()),
        "rmse": float(np.sqrt((err**2).mean())),
        "within_3": float((err <= 3).mean()),
        "within_5": float((err <= 5).mean()),
    }


def wilson_interval(wins: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a hit rate: honest for small samples, unlike p +- z*sqrt(p(1-p)/n)."""
    if n == 0:
        return (math.nan, math.nan)
    p = wins / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def american_profit(odds: np.ndarray, won: np.ndarray) -> np.ndarray:
    """Profit per 1 unit staked at American odds: -110 wins 100/110, +150 wins 1.5, a loss costs 1."""
    payout = np.where(odds < 0, 100.0 / np.abs(odds), odds / 100.0)
    return np.where(won, payout, -1.0)


def calibration_bins(predicted: np.ndarray, actual: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Mean predicted vs mean actual points per decile of the prediction (equal-count bins)."""
    if len(predicted) == 0:
        return []
    order = np.argsort(predicted, kind="stable")
    return [
        {
            "decile": i + 1,
            "rows": len(chunk),
            "mean_predicted": float(predicted[chunk].mean()),
            "mean_actual": float(actual[chunk].mean()),
        }
        for i, chunk in enumerate(np.array_split(order, bins))
        if len(chunk)
    ]


def brier_score(p: np.ndarray, outcome: np.ndarray) -> float:
    """Mean squared error of a probability against what happened (0/1): lower is better, 0.25 is a coin flip."""
    return float(np.mean((p - outcome) ** 2)) if len(p) else math.nan


def log_loss(p: np.ndarray, outcome: np.ndarray, eps: float = 1e-6) -> float:
    """Mean negative log-likelihood of the outcomes (probabilities clipped to [eps, 1 - eps])."""
    if not len(p):
        return math.nan
    q = np.clip(p, eps, 1 - eps)
    return float(-np.mean(outcome * np.log(q) + (1 - outcome) * np.log(1 - q)))


def reliability_curve(p: np.ndarray, outcome: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Per equal-width probability bin: rows, mean predicted probability and observed frequency."""
    index = np.minimum((p * bins).astype(int), bins - 1)
    return [
        {
            "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
            "rows": int((index == b).sum()),
            "mean_predicted": float(p[index == b].mean()),
            "observed": float(outcome[index == b].mean()),
        }
        for b in range(bins)
        if (index == b).any()
    ]


def expected_calibration_error(p: np.ndarray, outcome: np.ndarray, bins: int = 10) -> float:
    """Row-weighted mean |predicted - observed| over the reliability curve's bins."""
    curve = reliability_curve(p, outcome, bins)
    n = sum(b["rows"] for b in curve)
    return sum(b["rows"] * abs(b["mean_predicted"] - b["observed"]) for b in curve) / n if n else math.nan


def interval_coverage(low: np.ndarray, high: np.ndarray, actual: np.ndarray) -> float:
    """Share of results inside [low, high]: an honest 80% interval covers about 80%."""
    return float(((actual >= low) & (actual <= high)).mean()) if len(actual) else math.nan
