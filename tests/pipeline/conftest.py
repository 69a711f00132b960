"""Pipeline fixtures: a writable copy of the ingested corpus for orchestrator tests."""

import shutil

import pytest

from nbaprops.warehouse import connect


@pytest.fixture
def wh(corpus_db, tmp_path):
    """A writable copy of the corpus warehouse (raw tables only)."""
    path = tmp_path / "wh.duckdb"
    shutil.copy(corpus_db, path)
    con = connect(path)
    yield con
    con.close()
