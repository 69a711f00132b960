"""The same transforms on two engines: every phase 3-4 transform of the registry, run by DuckDB (the built
warehouse) and by Spark (the transpiled SQL over an exported Parquet lake) on the first month of the corpus, gives
the same rows (floats within 1e-9 relative) and the same data fingerprints in the ledger.

The first month of the corpus is chosen because nothing precedes it: both engines start from the same (empty)
history, so the comparison covers every window and ASOF join from their first row."""

from __future__ import annotations

import datetime as dt
import math
import shutil

import pytest

from nbaprops.context import RunContext
from nbaprops.pipeline import lake
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.partitions import ReprocessMode
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.pipeline.registry import discover
from nbaprops.raw.catalog import RAW_TABLES
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect, ledger

PHASES = ("analytics", "precompute", "features")
REL_TOL = 1e-9


@pytest.fixture(scope="session")
def spark():
    if shutil.which("java") is None:
        pytest.skip("Java is absent: Spark needs a JRE (.ci/run installs openjdk-17-jre-headless)")
    from nbaprops.pipeline.spark_engine import spark_session

    session = spark_session("local[2]", app="nbaprops-tests", shuffle_partitions=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def both_engines(built_db, spark, tmp_path_factory):
    """(warehouse copy, lake, month, DuckDB's ledger fingerprints, the Spark run's summary)."""
    tmp = tmp_path_factory.mktemp("spark")
    path = tmp / "warehouse.duckdb"
    shutil.copy(built_db, path)
    with RunContext(get_settings(db=path), connect(path)) as run:
        first = run.calendar.game_dates[0]
        month = (first, first + dt.timedelta(days=30))
        lake_dir = tmp / "lake"
        raw = [t for t in sorted(RAW_TABLES) if ledger.table_exists(run.con, t)]
        undated = [t for t in raw if lake.date_column(t) is None]
        lake.export(run.con, lake_dir / "dated", [t for t in raw if t not in undated], *month)
        lake.export(run.con, lake_dir / "undated", undated)
        for part in ("dated", "undated"):
            for table in (lake_dir / part).iterdir():
                if table.is_dir():
                    table.rename(lake_dir / table.name)
        backfill = Backfill(run)
        duckdb_fps = {
            name: _fingerprints(run.con, name, month)
            for name, t in backfill.transforms.items() if t.phase in PHASES
        }  # fmt: skip
        from nbaprops.pipeline.spark_engine import SparkEngine

        request = BackfillRequest(*month, phases=PHASES, mode=ReprocessMode.ALL)
        summary = SparkEngine(run.con, spark, lake_dir).run(
            backfill.plan(request), backfill.transforms, run.calendar, batch_days=400
        )
    return path, lake_dir, month, duckdb_fps, summary


def _fingerprints(con, table: str, month) -> dict[dt.date, tuple[int, str]]:
    return {
        d: (n, fp)
        for d, n, fp in con.execute(
            "SELECT partition_date, rows, data_fingerprint FROM ops.partitions WHERE table_name = ? "
            "AND state = 'done' AND partition_date BETWEEN ? AND ?",
            [table, *month],
        ).fetchall()
    }


def _transforms():
    return sorted(name for name, t in discover().items() if t.phase in PHASES)


def test_every_phase_3_4_transform_is_compared():
    """The ten transforms of phases 3-4 and the early-season feature rows: a transform that stops being compared
    (or a new one) shows here."""
    analytics = ("player_game_summary", "team_defense_game_summary", "team_offense_game_summary",
                 "upcoming_player_game_context", "upcoming_team_game_context")  # fmt: skip
    precompute = ("player_composite_factors", "player_daily_cache", "player_shot_zone_analysis",
                  "team_defense_zone_analysis")  # fmt: skip
    features = ("early_season_features", "ml_feature_store")
    expected = [f"analytics.{t}" for t in analytics] + [f"features.{t}" for t in features]
    assert _transforms() == sorted(expected + [f"precompute.{t}" for t in precompute])


def _equal(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL_TOL) or (math.isnan(a) and math.isnan(b))
    return a == b


@pytest.mark.realdata
@pytest.mark.parametrize("table", _transforms())
def test_spark_gives_the_rows_and_fingerprints_duckdb_gives(both_engines, table):
    path, lake_dir, month, duckdb_fps, summary = both_engines
    outcome = next(o for o in summary.tables if o.table == table)
    assert not outcome.errors, outcome.errors
    assert outcome.done > 0
    con = connect(path, read_only=True)
    try:
        pcol = discover()[table].partition_column
        schema = lake.columns(con, table)
        keys = ", ".join(c for c, _ in schema)
        ours = con.execute(f"SELECT * FROM {table} WHERE {pcol} BETWEEN ? AND ? ORDER BY {keys}", list(month))
        ours = ours.fetchall()
        theirs = con.execute(
            f"SELECT * FROM ({lake.read_sql(lake_dir / table, schema)}) WHERE {pcol} BETWEEN ? AND ? ORDER BY {keys}",
            list(month),
        ).fetchall()
        spark_fps = _fingerprints(con, table, month)
    finally:
        con.close()
    assert ours, f"{table}: DuckDB has no rows in {month}"
    assert len(theirs) == len(ours), f"{table}: Spark {len(theirs)} rows, DuckDB {len(ours)}"
    names = [c for c, _ in schema]
    diffs = [
        f"{names[i]}: duckdb {a!r} spark {b!r} (row {r[:3]})"
        for r, s in zip(ours, theirs, strict=True)
        for i, (a, b) in enumerate(zip(r, s, strict=True))
        if not _equal(a, b)
    ]
    assert not diffs, f"{table}: {len(diffs)} values differ, e.g. " + "; ".join(diffs[:5])
    assert spark_fps == duckdb_fps[table]
