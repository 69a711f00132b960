"""Write predictions: a (date, model version) is replaced as a whole, in one transaction."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pyarrow as pa

from nbaprops.features.ml_feature_store import FEATURE_VERSION
from nbaprops.models.config import ModelConfig
from nbaprops.models.decision import decide
from nbaprops.models.frame import FeatureFrame

TABLE = "predictions.player_points_predictions"


def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, mask=np.isnan(values), type=pa.float64())


def write_predictions(
    con: duckdb.DuckDBPyConnection,
    frame: FeatureFrame,
    predicted: dict[str, np.ndarray],
    versions: dict[str, str],
    cfg: ModelConfig,
) -> int:
    """Replace the frame's dates for each system's version with its predictions; rows written."""
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    dates = sorted({d.item() for d in frame.game_date})
    con.execute("BEGIN TRANSACTION")
    try:
        for system, points in predicted.items():
            d = decide(points, frame.line, frame.feature("points_std_last_10"), cfg)
            batch = pa.table({
                "system": [system] * len(frame), "model_version": [versions[system]] * len(frame),
                "game_id": frame.game_id.astype(str), "player_id": frame.player_id, "game_date": frame.game_date,
                "predicted_points": points, "line": _nullable(frame.line),
                "over_price": _nullable(frame.over_price), "under_price": _nullable(frame.under_price),
                "edge": _nullable(d.edge), "recommendation": d.recommendation.astype(str),
                "confidence": _nullable(d.confidence),
            })  # fmt: skip
            con.execute(
                f"DELETE FROM {TABLE} WHERE system = ? AND model_version = ? AND list_contains(?, game_date)",
                [system, versions[system], dates],
            )
            con.register("new_predictions", batch)
            con.execute(
                f"INSERT INTO {TABLE} SELECT system, model_version, game_id, player_id, game_date, predicted_points, "
                "line, over_price, under_price, edge, recommendation, confidence, ?, ? FROM new_predictions",
                [FEATURE_VERSION, created],
            )
            con.unregister("new_predictions")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(frame) * len(predicted)
