"""Walk-forward backtest: for each period, train on every played game before it, predict it, then score.

Never a random split: a period's model is fitted on rows dated strictly before the period's first day (the same
`fit_gbm` contract `nbaprops train` uses), so a backtest number is one a bettor could have had at the time.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Literal

import duckdb
import numpy as np

from nbaprops.models.config import ModelConfig
from nbaprops.models.evaluation import evaluate
from nbaprops.models.frame import FIRST_DATE, FeatureFrame, load_frame
from nbaprops.models.gbm import fit_gbm
from nbaprops.models.report import BacktestReport
from nbaprops.models.systems import SYSTEMS, predict_systems

Retrain = Literal["monthly", "weekly"]


def periods(start: dt.date, end: dt.date, retrain: Retrain) -> list[tuple[dt.date, dt.date]]:
    """[first, last + 1) spans covering start..end: calendar months, or 7-day weeks from start."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    spans, first = [], start
    while first <= end:
        if retrain == "weekly":
            nxt = first + dt.timedelta(days=7)
        elif retrain == "monthly":
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        else:
            raise ValueError(f"retrain must be monthly or weekly, not {retrain!r}")
        spans.append((first, min(nxt, end + dt.timedelta(days=1))))
        first = nxt
    return spans


@dataclass(frozen=True)
class WalkForward:
    frame: FeatureFrame  # every feature row dated start..end
    predicted: dict[str, np.ndarray]  # per system, aligned with frame
    periods: list[dict]


def walk_forward(
    con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, retrain: Retrain, cfg: ModelConfig
) -> WalkForward:
    history = load_frame(con, FIRST_DATE, end + dt.timedelta(days=1))
    in_range = history.game_date >= np.datetime64(start)
    predicted = {name: np.full(len(history), np.nan) for name in SYSTEMS}
    info = []
    for first, stop in periods(start, end, retrain):
        rows = (history.game_date >= np.datetime64(first)) & (history.game_date < np.datetime64(stop))
        if not rows.any():
            continue
        started = time.perf_counter()
        train = history.select((history.game_date < np.datetime64(first)) & history.played)
        model = fit_gbm(train, first, cfg.gbm)
        fitted = time.perf_counter()
        for name, points in predict_systems(history.select(rows), model, cfg).items():
            predicted[name][rows] = points
        info.append({
            "start": first.isoformat(), "end": (stop - dt.timedelta(days=1)).isoformat(),
            "train_rows": len(train), "last_training_date": model.metadata["last_training_date"],
            "predicted_rows": int(rows.sum()), "fit_seconds": round(fitted - started, 2),
            "predict_seconds": round(time.perf_counter() - fitted, 2),
        })  # fmt: skip
    return WalkForward(history.select(in_range), {k: v[in_range] for k, v in predicted.items()}, info)


def lines_without_features(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> int:
    """Played player-games with a line but no feature row (bootstrap days, unresolved players): not evaluated."""
    return con.execute(
        """
        SELECT count(*) FROM analytics.player_game_summary s
        WHERE s.game_date BETWEEN $start AND $end AND s.status = 'active' AND s.points_line IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM features.ml_feature_store f WHERE f.game_id = s.game_id AND f.player_id = s.player_id)
        """,
        {"start": start, "end": end},
    ).fetchone()[0]


def run_backtest(
    con: duckdb.DuckDBPyConnection,
    start: dt.date,
    end: dt.date,
    retrain: Retrain = "monthly",
    cfg: ModelConfig | None = None,
) -> BacktestReport:
    """Walk forward over start..end and score every system and baseline on the same rows."""
    cfg = cfg or ModelConfig()
    started = time.perf_counter()
    run = walk_forward(con, start, end, retrain, cfg)
    walked = time.perf_counter()
    report = evaluate(run.frame, run.predicted, cfg)
    report.update(
        start=start.isoformat(),
        end=end.isoformat(),
        retrain=retrain,
        periods=run.periods,
        settings=cfg.model_dump(),
        timings={
            "walk_forward_seconds": round(walked - started, 2),
            "fit_seconds": round(sum(p["fit_seconds"] for p in run.periods), 2),
            "evaluate_seconds": round(time.perf_counter() - walked, 2),
        },
    )
    report["counts"]["lines_without_feature_row"] = lines_without_features(con, start, end)
    return BacktestReport(**report)
