"""Small hand-made feature frames for tests that need no warehouse."""

from __future__ import annotations

import numpy as np

from nbaprops.features.markets import POINTS, Market
from nbaprops.models.frame import FeatureFrame


def make_frame(
    actual,
    line=None,
    *,
    over_price=-110.0,
    under_price=-110.0,
    status="active",
    start="2024-11-01",
    seed=0,
    market: Market = POINTS,
) -> FeatureFrame:
    """One row per actual value, one game date per row from `start`; features random but plausible."""
    actual = np.asarray(actual, dtype=float)
    n = len(actual)
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 30, size=(n, len(market.features)))
    X[:, market.features.index(market.form["spread"])] = 5.0
    line = np.full(n, np.nan) if line is None else np.asarray(line, dtype=float)
    names = np.array([f"player {i}" for i in range(n)], dtype=object)
    return FeatureFrame(
        market=market,
        game_id=np.array([f"g{i}" for i in range(n)], dtype=object),
        player_id=np.arange(n, dtype=np.int64),
        game_date=np.datetime64(start) + np.arange(n).astype("timedelta64[D]"),
        player_name=names,
        team=np.full(n, "BOS", dtype=object),
        opponent=np.full(n, "NYK", dtype=object),
        X=X,
        bookmaker=np.where(np.isnan(line), None, "fanduel").astype(object),
        line=line,
        over_price=np.full(n, over_price),
        under_price=np.full(n, under_price),
        status=np.full(n, status, dtype=object),
        actual=actual,
    )
