"""Feature rows of one market as numpy arrays: what every system, the trainer and the backtest read.

A frame covers [start, end) of game dates for a market (features/markets.py): its features, its line and, when
asked, its result. The training frame is the played player-games strictly before a date; tests assert on it, so "the
model never saw date D" is checked on the very rows that were fitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from importlib import resources

import duckdb
import numpy as np

from nbaprops.features.early_season_features import FEATURE_ROWS
from nbaprops.features.markets import POINTS, Market
from nbaprops.features.ml_feature_store import FEATURE_VERSION
from nbaprops.pipeline.failures import ConfigurationError
from nbaprops.settings import get_settings

_SQL = resources.files("nbaprops.models").joinpath("frame.sql").read_text(encoding="utf-8")
FIRST_DATE = dt.date(1900, 1, 1)


class FeatureStoreMismatch(ConfigurationError):
    """The feature store holds rows of another feature_version than this code (and its models) understand."""


@dataclass(frozen=True)
class FeatureFrame:
    """Column arrays of equal length, of one market; X holds the market's features in order (NaN where missing)."""

    market: Market
    game_id: np.ndarray
    player_id: np.ndarray
    game_date: np.ndarray  # datetime64[D]
    player_name: np.ndarray
    team: np.ndarray
    opponent: np.ndarray
    X: np.ndarray
    bookmaker: np.ndarray  # whose line it is, None without one
    line: np.ndarray  # NaN without a real line
    over_price: np.ndarray  # American odds of that line's snapshot, NaN when unknown
    under_price: np.ndarray
    status: np.ndarray  # active / dnp / inactive, None when the game has no box score for the player
    actual: np.ndarray  # the market's result, NaN without one (not played, or the archive lacks the stat)

    def __len__(self) -> int:
        return len(self.game_id)

    @property
    def features(self) -> tuple[str, ...]:
        return self.market.features

    def feature(self, name: str) -> np.ndarray:
        return self.X[:, self.features.index(name)]

    def select(self, mask: np.ndarray) -> FeatureFrame:
        arrays = {f.name: getattr(self, f.name)[mask] for f in fields(self) if f.name != "market"}
        return FeatureFrame(market=self.market, **arrays)

    @property
    def active(self) -> np.ndarray:
        """The player was active (whether or not the archive holds this market's result)."""
        return self.status == "active"

    @property
    def played(self) -> np.ndarray:
        """Rows with a result to learn from or grade: the player was active and the market's result is known."""
        return (self.status == "active") & ~np.isnan(self.actual)

    @property
    def has_line(self) -> np.ndarray:
        return ~np.isnan(self.line)


STORE = "features.ml_feature_store"
_WITH_RESULTS = """
    SELECT q.*, s.status, s.actual FROM ({pre_game}) q
    LEFT JOIN (SELECT game_id, player_id, status, ({result})::DOUBLE AS actual FROM analytics.player_game_summary) s
      ON s.game_id = q.game_id AND s.player_id = q.player_id
"""
_WITHOUT_RESULTS = "SELECT q.*, NULL::VARCHAR AS status, NULL::DOUBLE AS actual FROM ({pre_game}) q"


def load_frame(
    con: duckdb.DuckDBPyConnection,
    start: dt.date,
    end: dt.date,
    *,
    market: Market = POINTS,
    results: bool = True,
    store: str = STORE,
) -> FeatureFrame:
    """Feature rows of `store` with game_date in [start, end), the market's line and, with `results`, its result
    (predictions never read it); a row of another feature_version is an error."""
    params = {
        "start_date": start,
        "end_date": end,
        "line_market": market.line_market,
        "bookmaker_priority": list(get_settings().bookmaker_priority),
    }
    features = ", ".join(f"f.{name}::DOUBLE AS {name}" for name in market.features)
    pre_game = _SQL.format(features=features, store=store)
    query = (_WITH_RESULTS if results else _WITHOUT_RESULTS).format(pre_game=pre_game, result=market.result)
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

    def texts(name: str) -> np.ndarray:
        """Text column with None for NULL (np.ma.filled would put its fill value '?' there)."""
        column = cols[name]
        values = np.asarray(np.ma.getdata(column), dtype=object).copy()
        values[np.ma.getmaskarray(column)] = None
        return values

    return FeatureFrame(
        market=market,
        game_id=np.asarray(cols["game_id"], dtype=object),
        player_id=np.asarray(cols["player_id"], dtype=np.int64),
        game_date=np.asarray(cols["game_date"], dtype="datetime64[D]"),
        player_name=texts("player_name"),
        team=texts("team"),
        opponent=texts("opponent"),
        X=np.column_stack([floats(name) for name in market.features])
        if len(cols["game_id"])
        else np.empty((0, len(market.features))),
        bookmaker=texts("bookmaker"),
        line=floats("line"),
        over_price=floats("over_price"),
        under_price=floats("under_price"),
        status=texts("status"),
        actual=floats("actual"),
    )


def training_frame(con: duckdb.DuckDBPyConnection, train_end: dt.date, market: Market = POINTS) -> FeatureFrame:
    """Every played feature row strictly before train_end: the only rows a model trained for train_end may see."""
    frame = load_frame(con, FIRST_DATE, train_end, market=market, store=FEATURE_ROWS)  # early-season rows too
    return frame.select(frame.played)
