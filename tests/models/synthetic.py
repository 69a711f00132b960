"""Small hand-made feature frames for tests that need no warehouse."""

from __future__ import annotations

import numpy as np

from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.models.frame import FeatureFrame


def make_frame(
    actual, line=None, *, over_price=-110.0, under_price=-110.0, status="active", start="2024-11-01", seed=0
) -> FeatureFrame:
    """One row per actual value, one game date per row from `start`; features random but plausible."""
    actual = np.asarray(actual, dtype=float)
    n = len(actual)
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 30, size=(n, len(FEATURES)))
    X[:, FEATURES.index("points_std_last_10")] = 5.0
    line = np.full(n, np.nan) if line is None else np.asarray(line, dtype=float)
    return FeatureFrame(
        game_id=np.array([f"g{i}" for i in range(n)], dtype=object),
        player_id=np.arange(n, dtype=np.int64),
        game_date=np.datetime64(start) + np.arange(n).astype("timedelta64[D]"),
        X=X,
        line=line,
        over_price=np.full(n, over_price),
        under_price=np.full(n, under_price),
        status=np.full(n, status, dtype=object),
        actual=actual,
    )
