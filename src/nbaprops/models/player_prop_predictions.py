"""predictions.player_prop_predictions: every system's predicted value and decision for each feature-store row, per
declared market (features/markets.py), computed by the pipeline like any other partitioned table.

For a game date and a market the gbm and the ensemble use the newest model of that market whose training ended by
that date (the rule system alone when there is none), so a model trained later never rewrites what could have been
predicted then. A market whose form columns the feature store does not declare yet has no rows: its version says
`undeclared` and the run logs a warning naming the missing columns. Which model each date picks per market, the
models' code and the decision settings are the partition's versions: training a model or changing a setting makes
exactly the affected dates stale.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from nbaprops.features import markets as declared
from nbaprops.features.early_season_features import FEATURE_ROWS
from nbaprops.features.markets import Market
from nbaprops.features.ml_feature_store import FEATURE_VERSION
from nbaprops.models.config import ModelConfig
from nbaprops.models.decision import decide
from nbaprops.models.frame import FeatureFrame, load_frame
from nbaprops.models.gbm import code_version, gbm_artifacts, load_gbm, pick_gbm
from nbaprops.models.systems import SYSTEMS, model_versions, predict_systems
from nbaprops.pipeline.transform import declare

log = logging.getLogger("nbaprops.models")
SCHEMA = pa.schema(
    [
        ("market", pa.string()), ("system", pa.string()), ("model_version", pa.string()), ("game_id", pa.string()),
        ("player_id", pa.int64()), ("game_date", pa.date32()), ("player_name", pa.string()), ("team", pa.string()),
        ("opponent", pa.string()), ("predicted_value", pa.float64()), ("bookmaker", pa.string()),
        ("line", pa.float64()), ("over_price", pa.float64()), ("under_price", pa.float64()), ("edge", pa.float64()),
        ("recommendation", pa.string()), ("confidence", pa.float64()), ("feature_version", pa.int32()),
    ]
)  # fmt: skip


@cache
def _warn_skipped(name: str, missing: tuple[str, ...]) -> None:
    log.warning("market %s is not predicted: the feature store does not declare its form columns %s",
                name, ", ".join(missing))  # fmt: skip


def predicted_markets() -> tuple[list[Market], dict[str, list[str]]]:
    """The declared markets with every form column declared, and the others with the columns they lack."""
    ready, skipped = [], {}
    for market in declared.MARKETS.values():
        missing = market.undeclared()
        if missing:
            skipped[market.name] = missing
        else:
            ready.append(market)
    return ready, skipped


def versions(con: duckdb.DuckDBPyConnection, dates: list[dt.date], parameters: dict) -> dict[dt.date, str]:
    """Per date: per market the model artifact it would use (or `undeclared`), the models' code and the decision
    settings."""
    folder = Path(str(parameters["models_dir"]))
    ready, skipped = predicted_markets()
    artifacts = {m.name: gbm_artifacts(folder, m) for m in ready}
    common = f"{code_version()}.{ModelConfig().digest()}"

    def version(d: dt.date) -> str:
        models = [f"{name}={getattr(pick_gbm(found, d), 'name', 'no-model')}" for name, found in artifacts.items()]
        return ",".join([*models, *(f"{name}=undeclared" for name in skipped)]) + f".{common}"

    return {d: version(d) for d in dates}


def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, mask=np.isnan(values), type=pa.float64())


def _rows(part: FeatureFrame, folder: Path | None, cfg: ModelConfig) -> list[pa.Table]:
    """Every system's rows for a frame whose dates all use the model in `folder` (None: the rule system alone)."""
    market = part.market
    gbm = load_gbm(folder, market) if folder is not None else None
    systems = SYSTEMS if gbm is not None else ("moving_average",)
    labels = model_versions(gbm, cfg)
    n = len(part)
    tables = []
    for system, predicted in predict_systems(part, gbm, cfg, systems).items():
        decision = decide(predicted, part.line, part.feature(market.form["spread"]), market, cfg)
        columns = {
            "market": [market.name] * n, "system": [system] * n, "model_version": [labels[system]] * n,
            "game_id": part.game_id.astype(str), "player_id": part.player_id, "game_date": part.game_date,
            "player_name": part.player_name, "team": part.team, "opponent": part.opponent,
            "predicted_value": _nullable(predicted), "line": _nullable(part.line),
            "bookmaker": np.where(part.has_line, part.bookmaker, None),  # whose line it is: NULL without one
            "over_price": _nullable(part.over_price), "under_price": _nullable(part.under_price),
            "edge": _nullable(decision.edge), "recommendation": decision.recommendation.astype(str),
            "confidence": _nullable(decision.confidence), "feature_version": [FEATURE_VERSION] * n,
        }  # fmt: skip
        tables.append(pa.table(columns, schema=SCHEMA))
    return tables


def compute(con: duckdb.DuckDBPyConnection, dates: list[dt.date], parameters: dict) -> pa.Table:
    """Rows of every system and every predictable market for the feature rows of `dates`, grouped by the model
    each date uses."""
    cfg = ModelConfig()
    folder = Path(str(parameters["models_dir"]))
    ready, skipped = predicted_markets()
    for name, missing in skipped.items():
        _warn_skipped(name, tuple(missing))
    wanted_days = np.array(dates, dtype="datetime64[D]")
    tables = [SCHEMA.empty_table()]
    for market in ready:
        frame = load_frame(
            con, min(dates), max(dates) + dt.timedelta(days=1), market=market, results=False, store=FEATURE_ROWS
        )
        frame = frame.select(np.isin(frame.game_date, wanted_days))
        artifacts = gbm_artifacts(folder, market)
        models = {d: pick_gbm(artifacts, d) for d in dates}
        for model in sorted(set(models.values()), key=str):
            days = np.array([d for d, m in models.items() if m == model], dtype="datetime64[D]")
            part = frame.select(np.isin(frame.game_date, days))
            if len(part):
                tables.extend(_rows(part, model, cfg))
    return pa.concat_tables(tables)


TRANSFORM = declare(
    __file__,
    name="predictions.player_prop_predictions",
    phase="predictions",
    inputs=("features.ml_feature_store", "features.early_season_features", "raw.prop_lines", "raw.player_names"),
    keys=("market", "system", "game_id", "player_id"),
    partition_column="game_date",
    bootstrap=False,  # bootstrap days are predicted from the early-season rows
    lookback="same_date",
    dates="scheduled",
    compute=compute,
    versions=versions,
    columns={
        "bookmaker": "the bookmaker whose line the row was measured against (NULL without a line)",
        "line": "latest line of the market before tip-off (NULL without one: the row is a PASS)",
        "over_price": "American odds of the over at that line",
        "under_price": "American odds of the under at that line",
        "edge": "predicted_value minus line (NULL without a line)",
        "confidence": "probability the recommended side wins, Normal(predicted, the player's recent spread)",
        "feature_version": "feature-store version the prediction read",
    },
    description="Predicted value, edge, confidence and OVER / UNDER / PASS of every system per market and "
    "player-game, with the player's name, team and opponent and the line's bookmaker and prices.",
)
