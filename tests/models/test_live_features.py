"""Live availability: no feature of the live store reads the archive's active list of the game's own date."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.models.live_features import build_live_store
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata
COLUMNS = ("game_id", "player_id", "availability_source", *FEATURES)


def _rows(con, table: str) -> dict:
    cols = ", ".join(COLUMNS)
    return {(r[0], r[1]): r[2:] for r in con.execute(f"SELECT {cols} FROM {table}").fetchall()}


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


def test_live_features_do_not_read_active_lists(built_db, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    live_before = _rows(con, build_live_store(con))
    oracle = _rows(con, "features.ml_feature_store")
    listed = con.execute("SELECT count(*) FROM raw.active_lists").fetchone()[0]
    con.execute("DELETE FROM raw.active_lists")
    live_after = _rows(con, build_live_store(con))
    con.close()
    assert listed > 10_000  # the corpus has active lists: the check below is not vacuous
    assert sum(v[0] == "active_list" for v in oracle.values()) > 50_000
    assert not any(v[0] == "active_list" for v in live_before.values())
    assert len(live_before) > 100_000 and not _same(live_before, oracle)
    assert _same(live_before, live_after)
