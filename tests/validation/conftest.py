"""Fixtures: writable copies of the corpus warehouse, and a session warehouse with phase 3 (and one phase 4 table)
built by the real backfill, skipped while those transforms are not declared."""

from __future__ import annotations

import pytest

from nbaprops.pipeline.registry import discover
from nbaprops.warehouse import connect
from tests.validation.helpers import BUILT_FROM, PHASE3, PHASE4_SAMPLE, cli, copy_db, with_inputs


@pytest.fixture
def corpus_copy_path(corpus_db, tmp_path):
    return copy_db(corpus_db, tmp_path)


@pytest.fixture
def corpus_copy(corpus_copy_path):
    con = connect(corpus_copy_path)
    yield con
    con.close()


@pytest.fixture(scope="session")
def built_db(corpus_db, tmp_path_factory):
    """The corpus with the phase 3 tables and one bootstrap (phase 4) table backfilled from 2024-25 on - read it,
    never write it."""
    wanted = {t for t in (*PHASE3, PHASE4_SAMPLE) if t in discover()}
    if not wanted:
        pytest.skip("no phase 3 transforms declared yet")
    path = copy_db(corpus_db, tmp_path_factory.mktemp("built"), "built.duckdb")
    result = cli(path, "backfill", "--start-date", BUILT_FROM, "--tables", ",".join(sorted(with_inputs(wanted))))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def built_copy_path(built_db, tmp_path):
    return copy_db(built_db, tmp_path)
