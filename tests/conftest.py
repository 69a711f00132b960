"""Shared fixtures: the real corpus (skipped with a reason when absent) and fresh warehouses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nbaprops.raw.ingest import ingest_archive
from nbaprops.warehouse import connect

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("NBAPROPS_SHARED_DATA", REPO.parent / "shared" / "data"))
ARCHIVE = SHARED_DATA / "nba"
API_SAMPLES = SHARED_DATA / "api-samples"


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


@pytest.fixture
def corpus(corpus_db):
    con = connect(corpus_db, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def warehouse_session(tmp_path_factory):
    """An empty migrated warehouse shared by property tests that only read macros."""
    con = connect(tmp_path_factory.mktemp("wh") / "macros.duckdb")
    yield con
    con.close()
