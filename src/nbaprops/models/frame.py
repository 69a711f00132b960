"""Feature rows as numpy arrays: what every system, the trainer and the backtest read.

A frame covers [start, end) of game dates. The training frame is the active player-games strictly before a date;
tests assert on it, so "the model never saw date D" is checked on the very rows that were fitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from importlib import resources

import duckdb
import numpy as np

from nbaprops.features.early_season_features import FEATURE_ROWS
from nbaprops.features.ml_feature_store import FEATURE_VERSION, FEATURES
from nbaprops.pipeline.failures import ConfigurationError
from nbaprops.settings import get_settings

_SQL = resources.files("nbaprops.models").joinpath("frame.sql").read_text(encoding="utf-8")
FIRST_DATE = dt.date(1900, 1, 1)


class FeatureStoreMismatch(ConfigurationError):
    """The feature store holds rows of another feature_version than this code (and its models) understand."""


@dataclass(frozen=True)
class FeatureFrame:
    """Column arrays of equal length; X holds FEATURES in order (NaN for a missing line)."""

    game_id: np.ndarray
    player_id: np.ndarray
    game_date: np.ndarray  # datetime64[D]
    X: np.ndarray
    line: np.ndarray  # NaN without a real line
    over_price: np.ndarray  # American odds of that line's snapshot, NaN when unknown
    under_price: np.ndarray
    status: np.ndarray  # active / dnp / inactive, None when the game has no box score for the player
    actual: np.ndarray  # points, NaN without a result

    def __len__(self) -> int:
        return len(self.game_id)

    def feature(self, name: str) -> np.ndarray:
        return self.X[:, FEATURES.index(name)]

    def select(self, mask: np.ndarray) -> FeatureFrame:
        return FeatureFrame(**{f.name: getattr(self, f.name)[mask] for f in fields(self)})

    @property
    def played(self) -> np.ndarray:
        """Rows with a result to learn from or grade: the player was active and scored."""
        return (self.status == "active") & ~np.isnan(self.actual)

    @property
    def has_line(self) -> np.ndarray:
        return ~np.isnan(self.line)


STORE = "features.ml_feature_store"
_FEATURES = ", ".join(f"f.{name}::DOUBLE AS {name}" for name in FEATURES)
_WITH_RESULTS = """
    SELECT q.*, s.status, s.pts::DOUBLE AS actual FROM ({pre_game}) q
    LEFT JOIN analytics.player_game_summary s ON s.game_id = q.game_id AND s.player_id = q.player_id
"""
_WITHOUT_RESULTS = "SELECT q.*, NULL::VARCHAR AS status, NULL::DOUBLE AS actual FROM ({pre_game}) q"


def load_frame(
    con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, *, results: bool = True, store: str = STORE
) -> FeatureFrame:
    """Feature rows of `store` with game_date in [start, end) and, with `results`, what happened (predictions never
    read it); a row of another feature_version is an error."""
    params = {
        "start_date": start,
        "end_date": end,
        "bookmaker_priority": list(get_settings().bookmaker_priority),
    }
    pre_game = _SQL.format(features=_FEATURES, store=store)
    query = (_WITH_RESULTS if results else _WITHOUT_RESULTS).format(pre_game=pre_game)
    query += " ORDER BY game_date, game_id, player_id"
    cols = con.execute(query, params).fetchnumpy()
    versions = set(np.unique(cols["feature_version"]).tolist())
    if versions - {FEATURE_VERSION}:
        raise FeatureStoreMismatch(
            f"features.ml_feature_store holds feature_version {sorted(versions)} between {start} and {end}; this "
            f"code reads version {FEATURE_VERSION}: rebuild it with "
            "`nbaprops backfill --tables features.ml_feature_store`"
        )

    def floats(name: str) -> np.ndarray:
        return np.asarray(np.ma.filled(np.ma.asarray(cols[name], dtype=float), np.nan), dtype=float)

    return FeatureFrame(
        game_id=np.asarray(cols["game_id"], dtype=object),
        player_id=np.asarray(cols["player_id"], dtype=np.int64),
        game_date=np.asarray(cols["game_date"], dtype="datetime64[D]"),
        X=np.column_stack([floats(name) for name in FEATURES])
        if len(cols["game_id"])
        else np.empty((0, len(FEATURES))),
        line=floats("line"),
        over_price=floats("over_price"),
        under_price=floats("under_price"),
        status=np.asarray(np.ma.filled(np.ma.asarray(cols["status"], dtype=object), None), dtype=object),
        actual=floats("actual"),
    )


def training_frame(con: duckdb.DuckDBPyConnection, train_end: dt.date) -> FeatureFrame:
    """Every played feature row strictly before train_end: the only rows a model trained for train_end may see."""
    frame = load_frame(con, FIRST_DATE, train_end, store=FEATURE_ROWS)  # early-season rows too
    return frame.select(frame.played)
