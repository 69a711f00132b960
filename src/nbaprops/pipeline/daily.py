"""The daily run: yesterday's results and today's schedule, lines and injuries from the live sources, a backfill of
the dates they touch, and today's predictions.

Each step is the same code the individual commands use (`ingest live`, `backfill`); predictions and grades are
tables of the DAG, so the backfill of yesterday and today writes today's predictions and grades yesterday's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from nbaprops.context import RunContext
from nbaprops.models.gbm import find_gbm
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.pipeline.runner import Reporter, RunSummary
from nbaprops.pipeline.settings import models_dir
from nbaprops.raw.live_ingest import LiveSummary, ingest_live
from nbaprops.sources.settings import LiveSettings


@dataclass
class DailyResult:
    day: dt.date
    live: LiveSummary
    backfill: RunSummary
    notes: list[str] = field(default_factory=list)


def model_notes(run: RunContext, day: dt.date) -> list[str]:
    """What a reader of `day`'s predictions should know about the models behind them."""
    folder = models_dir(run.con, run.settings)
    try:
        find_gbm(folder, day)
    except FileNotFoundError:
        return [f"no gbm model in {folder} trained before {day}: moving_average only (run `nbaprops train`)"]
    return []


def run_daily(
    run: RunContext,
    day: dt.date,
    *,
    live_settings: LiveSettings | None = None,
    reporter: Reporter | None = None,
) -> DailyResult:
    """Ingest `day - 1` (results) and `day` (schedule, lines, injuries), then backfill those dates: every derived
    table, today's predictions and yesterday's grades."""
    live = ingest_live(run.con, day - dt.timedelta(days=1), day, live_settings, today=day)
    run.refresh_calendar()
    backfill = Backfill(run).run_range(
        BackfillRequest(day - dt.timedelta(days=1), day), command=f"nbaprops daily --date {day}", reporter=reporter
    )
    return DailyResult(day, live, backfill, model_notes(run, day))


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
                                   ORDER BY list_position(['ensemble', 'gbm', 'moving_average'], p.system)) = 1
        ORDER BY p.line IS NULL, abs(p.edge) DESC NULLS LAST, f.player_name
        """,
        [day],
    ).fetchall()
