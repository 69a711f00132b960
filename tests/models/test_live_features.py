"""Availability a live run can know: the pipeline's feature store never reads the archive's active list of the game's
own date (Basketball-Reference's post-game list of who dressed); the backtest's oracle mode does, as an upper bound."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.models.live_features import ORACLE_CHAIN, build_oracle_store
from nbaprops.pipeline.registry import discover, downstream, topological_order
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata
COLUMNS = ("game_id", "player_id", "availability_source", *FEATURES)
DAYS = (dt.date(2024, 2, 10), dt.date(2025, 1, 15))  # regular-season dates with active lists, two seasons


def _rows(con, table: str) -> dict:
    query = f"SELECT {', '.join(COLUMNS)} FROM {table} WHERE game_date IN (SELECT unnest(?::DATE[]))"
    return {(r[0], r[1]): r[2:] for r in con.execute(query, [list(DAYS)]).fetchall()}


def _same(a: dict, b: dict) -> bool:
    """Equal keys and values; floats equal to 1e-9 (DuckDB's parallel sums may differ in the last bit)."""
    if a.keys() != b.keys():
        return False
    for key, left in a.items():
        right = b[key]
        if left[0] != right[0] or not np.allclose(
            np.array(left[1:], dtype=float), np.array(right[1:], dtype=float), rtol=0, atol=1e-9, equal_nan=True
        ):
            return False
    return True


def _recompute(con, days) -> None:
    """Rerun, for `days`, every warehouse transform downstream of raw.active_lists the way the pipeline does (the
    predictions are a model's output, not part of the build's features)."""
    transforms = discover()
    affected = {n for n in downstream(transforms, "raw.active_lists") if not n.startswith("predictions.")}
    assert "features.ml_feature_store" in affected
    for name in topological_order(transforms):
        if name in affected:
            write_batch(con, transforms[name], list(days), run_id=0, settings=run_parameters(con))


def test_the_pipeline_store_ignores_the_games_own_active_lists_and_the_oracle_reads_them(built_db, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    stored = _rows(con, "features.ml_feature_store")
    oracle_before = _rows(con, build_oracle_store(con))
    _recompute(con, DAYS)
    assert _same(stored, _rows(con, "features.ml_feature_store"))  # a recompute reproduces the store
    # perturb the dates' active lists: everyone listed becomes unavailable, then half the lists are deleted
    flipped = con.execute(
        "UPDATE raw.active_lists SET available = NOT available WHERE game_date IN (SELECT unnest(?::DATE[]))",
        [list(DAYS)],
    ).fetchone()[0]
    con.execute(
        "DELETE FROM raw.active_lists WHERE game_date IN (SELECT unnest(?::DATE[])) AND hash(game_id, team) % 2 = 0",
        [list(DAYS)],
    )
    _recompute(con, DAYS)
    live_after = _rows(con, "features.ml_feature_store")
    oracle_after = _rows(con, build_oracle_store(con))
    con.close()
    assert flipped > 400  # both dates have active lists: the check below is not vacuous
    assert len(stored) > 400 and _same(stored, live_after)
    assert {v[0] for v in stored.values()} <= {"injury_report", "last_team_game"}
    assert sum(v[0] == "active_list" for v in oracle_before.values()) > 300
    assert not _same(stored, oracle_before)  # the oracle reads the lists ...
    assert not _same(oracle_before, oracle_after)  # ... so perturbing them moves its features


def test_the_oracle_recomputes_exactly_the_transforms_downstream_of_the_active_lists():
    """All but the predictions and the early-season rows: the oracle backtest reads the stored early-season rows
    (built from earlier seasons; the oracle context would only add a traded player's first game there)."""
    transforms = discover()
    kept = ("predictions.", "features.early_season_features")
    expected = [n for n in topological_order(transforms)
                if n in downstream(transforms, "raw.active_lists") and not n.startswith(kept)]  # fmt: skip
    assert [t.name for t in ORACLE_CHAIN] == expected
