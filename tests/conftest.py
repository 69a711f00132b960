"""Shared fixtures: the real corpus (skipped with a reason when absent) and fresh warehouses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nbaprops.raw.ingest import ingest_archive
from nbaprops.warehouse import connect

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("NBAPROPS_SHARED_DATA", REPO.parent / "shared" / "data"))
ARCHIVE = SHARED_DATA / "nba"
API_SAMPLES = SHARED_DATA / "api-samples"


def pytest_addoption(parser):
    parser.addoption(
        "--pit-full",
        action="store_true",
        help="point-in-time audit of every feature row of every non-bootstrap game date (slow; CI samples)",
    )


def require_corpus() -> Path:
    if not ARCHIVE.is_dir():
        pytest.skip(f"real corpus not found at {ARCHIVE} (set NBAPROPS_SHARED_DATA to its data/ folder)")
    return ARCHIVE


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A warehouse with the whole archive corpus ingested once per test session (read it, never write it)."""
    archive = require_corpus()
    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    con = connect(path)
    summary = ingest_archive(con, archive)
    con.close()
    assert not summary.failed, [f.error for f in summary.failed]
    return path


def _read_only(path: Path):
    con = connect(path, read_only=True)
    yield con
    con.close()


@pytest.fixture
def corpus(corpus_db):
    yield from _read_only(corpus_db)


@pytest.fixture
def corpus_copy_path(corpus_db, tmp_path) -> Path:
    """A writable copy of the corpus warehouse (raw tables only), one per test."""
    path = tmp_path / "corpus_copy.duckdb"
    shutil.copyfile(corpus_db, path)
    return path


@pytest.fixture
def corpus_copy(corpus_copy_path):
    con = connect(corpus_copy_path)
    yield con
    con.close()


@pytest.fixture(scope="session")
def warehouse_session(tmp_path_factory):
    """An empty migrated warehouse shared by property tests that only read macros."""
    con = connect(tmp_path_factory.mktemp("wh") / "macros.duckdb")
    yield con
    con.close()


# A traded player's first played game for his new team: his previous appearance that season was for another team.
FIRST_GAMES_AFTER_A_TRADE = """
    WITH appearances AS (
        SELECT player_id, game_id, game_date, season, team, status,
            lag(team) OVER (PARTITION BY player_id, season ORDER BY game_date) AS previous_team
        FROM analytics.player_game_summary WHERE game_type = 'regular_season'
    )
    SELECT player_id, game_id, game_date, team, previous_team FROM appearances
    WHERE status = 'active' AND team <> previous_team
    ORDER BY game_date, player_id
"""


# --- analytics (phase 3) ---------------------------------------------------------------------------------------
ANALYTICS_RANGE = ("2023-10-01", "2026-06-30")


def run_analytics(con, start: str = ANALYTICS_RANGE[0], end: str = ANALYTICS_RANGE[1]) -> dict[str, int]:
    """Compute every analytics transform for the game dates in [start, end] the way the runner does; rows per table."""
    import datetime as dt

    from nbaprops.calendar import SeasonCalendar
    from nbaprops.pipeline.registry import discover, topological_order
    from nbaprops.pipeline.settings import run_parameters
    from nbaprops.pipeline.writer import write_batch

    transforms = discover()
    dates = SeasonCalendar.load(con).dates_between(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    rows = {}
    for name in topological_order(transforms):
        if transforms[name].phase == "analytics":
            rows[name] = write_batch(con, transforms[name], dates, run_id=0, settings=run_parameters(con)).rows
    return rows


@pytest.fixture(scope="session")
def analytics_db(built_db) -> Path:
    """The analytics tables live in the fully built warehouse (computed by the real runner)."""
    return built_db


@pytest.fixture
def analytics(built):
    """The analytics tables, read from the fully built warehouse."""
    return built


# --- every derived table (phases 3 and 4) ----------------------------------------------------------------------
@pytest.fixture(scope="session")
def built_db(corpus_db, tmp_path_factory) -> Path:
    """A copy of the corpus warehouse with every declared table backfilled once by the real runner."""
    import shutil

    from nbaprops.context import RunContext
    from nbaprops.pipeline.backfill import Backfill
    from nbaprops.settings import get_settings

    path = tmp_path_factory.mktemp("built") / "warehouse.duckdb"
    prebuilt = os.environ.get("NBAPROPS_TEST_BUILT_DB")
    if prebuilt:  # a developer's shortcut while iterating on code that does not change the build; CI never sets it
        shutil.copy(prebuilt, path)
        return path
    shutil.copy(corpus_db, path)
    with RunContext(get_settings(), connect(path)) as run:
        backfill = Backfill(run)
        summary = backfill.run_range(backfill.everything(), command="tests")
    assert summary.status == "success", [t.errors for t in summary.tables]
    return path


@pytest.fixture
def built(built_db):
    yield from _read_only(built_db)
