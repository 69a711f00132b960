"""The daily run: yesterday's results and today's schedule, lines and injuries from the live sources, a backfill of
the dates they touch, and today's predictions.

Each step is the same code the individual commands use (`ingest live`, `backfill`, `predict`); this module only
chains them and says what it did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.planner import BackfillRequest, build_plan
from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.runner import Reporter, RunSummary, execute_plan
from nbaprops.raw.live_ingest import LiveSummary, ingest_live
from nbaprops.sources.settings import LiveSettings


@dataclass
class Predictions:
    rows: int
    systems: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


@dataclass
class DailyResult:
    day: dt.date
    live: LiveSummary
    backfill: RunSummary
    predictions: Predictions


def predict_day(
    con: duckdb.DuckDBPyConnection,
    day: dt.date,
    models_dir: Path,
    systems: tuple[str, ...] | None = None,
    *,
    fall_back: bool = False,
) -> Predictions:
    """Predict every player with a feature row on `day`. Without a trained model usable for `day`, `fall_back`
    keeps the rule system (and says so) instead of failing."""
    from nbaprops.models.config import ModelConfig
    from nbaprops.models.frame import load_frame
    from nbaprops.models.gbm import IncompatibleModel, find_gbm, load_gbm
    from nbaprops.models.store import write_predictions
    from nbaprops.models.systems import NEEDS_GBM, SYSTEMS, model_versions, predict_systems

    systems = tuple(systems or SYSTEMS)
    cfg = ModelConfig()
    notes: list[str] = []
    gbm = None
    if NEEDS_GBM & set(systems):
        try:
            gbm = load_gbm(find_gbm(models_dir, day))
        except (FileNotFoundError, IncompatibleModel) as exc:
            if not fall_back:
                raise
            systems = tuple(s for s in systems if s not in NEEDS_GBM) or ("moving_average",)
            notes.append(f"{exc}; predicting with {', '.join(systems)} only (run `nbaprops train`)")
    frame = load_frame(con, day, day + dt.timedelta(days=1))
    if not len(frame):
        notes.append(f"no feature rows on {day}: run `nbaprops backfill --start-date {day} --end-date {day}`")
        return Predictions(0, systems, notes)
    predicted = predict_systems(frame, gbm, cfg, systems)
    rows = write_predictions(con, frame, predicted, model_versions(gbm, cfg), cfg)
    return Predictions(rows, tuple(predicted), notes)


def run_daily(
    con: duckdb.DuckDBPyConnection,
    day: dt.date,
    models_dir: Path,
    *,
    settings: LiveSettings | None = None,
    reporter: Reporter | None = None,
    batch_days: int = 400,
) -> DailyResult:
    """Ingest `day - 1` (results) and `day` (schedule, lines, injuries), backfill those dates, predict `day`."""
    live = ingest_live(con, day - dt.timedelta(days=1), day, settings, today=day)
    transforms = discover()
    calendar = SeasonCalendar.load(con)
    request = BackfillRequest(day - dt.timedelta(days=1), day)
    plan = build_plan(con, transforms, calendar, request)
    backfill = execute_plan(
        con, plan, transforms, calendar, command=f"nbaprops daily --date {day}", batch_days=batch_days,
        reporter=reporter,
    )  # fmt: skip
    return DailyResult(day, live, backfill, predict_day(con, day, models_dir, fall_back=True))


def todays_predictions(con: duckdb.DuckDBPyConnection, day: dt.date) -> list[tuple]:
    """The predictions of `day` for people to read: the best system available per player-game, lines first."""
    return con.execute(
        """
        SELECT p.game_date, f.player_name, f.team, f.opponent, p.system, p.line, round(p.predicted_points, 1),
               round(p.edge, 1), p.recommendation, round(p.confidence, 2)
        FROM predictions.player_points_predictions p
        JOIN features.ml_feature_store f USING (player_id, game_id)
        WHERE p.game_date = ?
        QUALIFY row_number() OVER (PARTITION BY p.player_id, p.game_id
                                   ORDER BY list_position(['ensemble', 'gbm', 'moving_average'], p.system),
                                            p.created_at DESC) = 1
        ORDER BY p.line IS NULL, abs(p.edge) DESC NULLS LAST, f.player_name
        """,
        [day],
    ).fetchall()
