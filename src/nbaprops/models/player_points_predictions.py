"""predictions.player_points_predictions: every system's predicted points and decision for each feature-store row,
computed by the pipeline like any other partitioned table.

For a game date the gbm and the ensemble use the newest trained model whose training ended by that date (the
rule system alone when there is none), so a model trained later never rewrites what could have been predicted then.
Which model each date picks, the models' code and the decision settings are the partition's versions: training a
model or changing a setting makes exactly the affected dates stale.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from nbaprops.features.early_season_features import FEATURE_ROWS
from nbaprops.features.ml_feature_store import FEATURE_VERSION
from nbaprops.models.config import ModelConfig
from nbaprops.models.decision import decide
from nbaprops.models.frame import load_frame
from nbaprops.models.gbm import code_version, gbm_artifacts, load_gbm, pick_gbm
from nbaprops.models.systems import SYSTEMS, model_versions, predict_systems
from nbaprops.pipeline.transform import declare

SCHEMA = pa.schema(
    [
        ("system", pa.string()), ("model_version", pa.string()), ("game_id", pa.string()), ("player_id", pa.int64()),
        ("game_date", pa.date32()), ("player_name", pa.string()), ("team", pa.string()), ("opponent", pa.string()),
        ("predicted_points", pa.float64()), ("bookmaker", pa.string()), ("line", pa.float64()),
        ("over_price", pa.float64()), ("under_price", pa.float64()), ("edge", pa.float64()),
        ("recommendation", pa.string()), ("confidence", pa.float64()), ("feature_version", pa.int32()),
    ]
)  # fmt: skip


def versions(con: duckdb.DuckDBPyConnection, dates: list[dt.date], parameters: dict) -> dict[dt.date, str]:
    """Per date: the model artifact it would use, the models' code and the decision settings."""
    common = f"{code_version()}.{ModelConfig().digest()}"
    artifacts = gbm_artifacts(Path(str(parameters["models_dir"])))
    return {d: f"{getattr(pick_gbm(artifacts, d), 'name', 'no-model')}.{common}" for d in dates}


def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, mask=np.isnan(values), type=pa.float64())


def _who(con: duckdb.DuckDBPyConnection, dates: list[dt.date]) -> dict[tuple[str, int], tuple]:
    """(game_id, player_id) -> (player name, team, opponent, bookmaker of the line) of the feature rows of `dates`:
    a prediction names whom it is about and whose line it was measured against (NULL without a line)."""
    rows = con.execute(
        "SELECT game_id, player_id, player_name, team, opponent, CASE WHEN has_prop_line THEN line_bookmaker END "
        f"FROM {FEATURE_ROWS} WHERE list_contains(?, game_date)",
        [dates],
    ).fetchall()
    return {(game_id, int(player_id)): rest for game_id, player_id, *rest in rows}


def compute(con: duckdb.DuckDBPyConnection, dates: list[dt.date], parameters: dict) -> pa.Table:
    """Rows of every system for the feature rows of `dates`, grouped by the model each date uses."""
    cfg = ModelConfig()
    artifacts = gbm_artifacts(Path(str(parameters["models_dir"])))
    frame = load_frame(con, min(dates), max(dates) + dt.timedelta(days=1), results=False, store=FEATURE_ROWS)
    wanted = np.isin(frame.game_date, np.array(dates, dtype="datetime64[D]"))
    frame = frame.select(wanted)
    who = _who(con, dates)
    folders = {d: pick_gbm(artifacts, d) for d in dates}
    tables = [SCHEMA.empty_table()]
    for folder in sorted(set(folders.values()), key=str):
        days = np.array([d for d, f in folders.items() if f == folder], dtype="datetime64[D]")
        part = frame.select(np.isin(frame.game_date, days))
        if not len(part):
            continue
        gbm = load_gbm(folder) if folder is not None else None
        systems = SYSTEMS if gbm is not None else ("moving_average",)
        predicted = predict_systems(part, gbm, cfg, systems)
        labels = model_versions(gbm, cfg)
        n = len(part)
        names, teams, opponents, books = zip(
            *(who[(g, int(p))] for g, p in zip(part.game_id, part.player_id, strict=True)), strict=True
        )
        for system, points in predicted.items():
            decision = decide(points, part.line, part.feature(part.market.form["spread"]), part.market, cfg)
            columns = {
                "system": [system] * n, "model_version": [labels[system]] * n,
                "game_id": part.game_id.astype(str), "player_id": part.player_id, "game_date": part.game_date,
                "player_name": names, "team": teams, "opponent": opponents,
                "predicted_points": _nullable(points), "bookmaker": books, "line": _nullable(part.line),
                "over_price": _nullable(part.over_price), "under_price": _nullable(part.under_price),
                "edge": _nullable(decision.edge), "recommendation": decision.recommendation.astype(str),
                "confidence": _nullable(decision.confidence), "feature_version": [FEATURE_VERSION] * n,
            }  # fmt: skip
            tables.append(pa.table(columns, schema=SCHEMA))
    return pa.concat_tables(tables)


TRANSFORM = declare(
    __file__,
    name="predictions.player_points_predictions",
    phase="predictions",
    inputs=("features.ml_feature_store", "features.early_season_features", "raw.prop_lines", "raw.player_names"),
    keys=("system", "game_id", "player_id"),
    partition_column="game_date",
    bootstrap=False,  # bootstrap days are predicted from the early-season rows
    lookback="same_date",
    dates="scheduled",
    compute=compute,
    versions=versions,
    columns={
        "bookmaker": "the bookmaker whose line the row was measured against (NULL without a line)",
        "line": "latest points line before tip-off (NULL without one: the row is a PASS)",
        "over_price": "American odds of the over at that line",
        "under_price": "American odds of the under at that line",
        "edge": "predicted_points minus line (NULL without a line)",
        "confidence": "probability the recommended side wins, Normal(predicted, the player's recent spread)",
        "feature_version": "feature-store version the prediction read",
    },
    description="Predicted points, edge, confidence and OVER / UNDER / PASS of every system per player-game, with "
    "the player's name, team and opponent and the line's bookmaker and prices.",
)
