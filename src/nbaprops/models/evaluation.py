"""Score predictions on exactly the same rows for every system and baseline, and bet them against real lines.

Hit rates use only rows with a real line (the latest snapshot before tip-off); rows without one are counted, never
filled in. A push is neither a win nor a loss; ROI is at the recorded price of the side bet.
"""

from __future__ import annotations

import math

import numpy as np

from nbaprops.models.config import ModelConfig
from nbaprops.models.decision import OVER, PASS, UNDER, decide
from nbaprops.models.frame import FeatureFrame
from nbaprops.models.metrics import american_profit, calibration_bins, error_summary, wilson_interval

EDGE_BUCKETS = ((0.0, 1.0), (1.0, 2.0), (2.0, 3.0), (3.0, 5.0), (5.0, math.inf))


def baselines(frame: FeatureFrame) -> dict[str, np.ndarray]:
    """What a model must beat: the market's declared baselines as of the game (and the line)."""
    return {name: frame.feature(column) for name, column in frame.market.baselines.items()}


def _accuracy(predictors: dict[str, np.ndarray], actual: np.ndarray) -> list[dict]:
    return [{"predictor": name, **error_summary(points, actual)} for name, points in predictors.items()]


def bet_results(frame: FeatureFrame, side: np.ndarray, rows: np.ndarray) -> dict:
    """Wins, losses, pushes, hit rate with its Wilson interval and ROI for betting `side` on `rows`."""
    over = side == OVER
    actual, line = frame.actual[rows], frame.line[rows]
    push = actual == line
    won = np.where(over[rows], actual > line, actual < line)
    price = np.where(over[rows], frame.over_price[rows], frame.under_price[rows])
    decided, priced = ~push, ~push & ~np.isnan(price)
    wins, bets = int(won[decided].sum()), int(decided.sum())
    low, high = wilson_interval(wins, bets)
    profit = american_profit(price[priced], won[priced])
    return {
        "bets": bets,
        "wins": wins,
        "pushes": int(push.sum()),
        "hit_rate": wins / bets if bets else math.nan,
        "ci_low": low,
        "ci_high": high,
        "priced_bets": int(priced.sum()),
        "roi": float(profit.mean()) if len(profit) else math.nan,
    }


def hit_rates(frame: FeatureFrame, predicted: np.ndarray, cfg: ModelConfig, rows: np.ndarray) -> list[dict]:
    """Per |edge| bucket (betting the side of the edge) and for the system's own OVER/UNDER picks."""
    market = frame.market
    d = decide(predicted, frame.line, frame.feature(market.form["spread"]), market, cfg)
    side = np.where(np.nan_to_num(d.edge) > 0, OVER, UNDER)
    size = np.abs(d.edge)
    table = []
    for low, high in EDGE_BUCKETS:
        in_bucket = rows & (size >= low) & (size < high) & (d.edge != 0)
        label = f"{low:g}+" if math.isinf(high) else f"{low:g}-{high:g}"
        table.append({"bucket": f"|edge| {label}", **bet_results(frame, side, in_bucket)})
    picks = rows & (d.recommendation != PASS)
    table.append({"bucket": f"picks (|edge|>={market.min_edge:g}, conf>={cfg.min_confidence:g})",
                  **bet_results(frame, side, picks)})  # fmt: skip
    return table


def evaluate(frame: FeatureFrame, predicted: dict[str, np.ndarray], cfg: ModelConfig) -> dict:
    """Everything the backtest report shows, as plain data."""
    played = frame.played & np.all([~np.isnan(p) for p in predicted.values()], axis=0)
    with_line = played & frame.has_line
    actual = frame.actual
    everyone = {**predicted, **baselines(frame)}
    return {
        "counts": {
            "feature_rows": len(frame),
            "evaluated_rows": int(played.sum()),
            "not_played_rows": int((~frame.played).sum()),
            "rows_with_line": int(with_line.sum()),
            "rows_without_line": int((played & ~frame.has_line).sum()),
        },
        "accuracy": _accuracy({k: v[played] for k, v in everyone.items()}, actual[played]),
        "accuracy_with_line": _accuracy(
            {**{k: v[with_line] for k, v in everyone.items()}, "line": frame.line[with_line]}, actual[with_line]
        ),
        "calibration": {k: calibration_bins(v[played], actual[played]) for k, v in predicted.items()},
        "hit_rates": {k: hit_rates(frame, v, cfg, with_line) for k, v in predicted.items()},
    }
