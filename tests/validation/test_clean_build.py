"""A clean ingest and build validates with exit 0: the checks hold on real data, not only on broken copies."""

from __future__ import annotations

import pytest

from tests.validation.helpers import BUILT_FROM, PHASE3, PHASE4_SAMPLE, cli, with_inputs

pytestmark = pytest.mark.realdata


def test_raw_corpus_validates(corpus_db):
    result = cli(corpus_db, "validate", "--phase", "raw")
    assert result.exit_code == 0, result.output
    assert "0 blocking failure(s)" in result.output


def test_built_tables_validate(built_db):
    tables = sorted(with_inputs({*PHASE3, PHASE4_SAMPLE}))
    result = cli(built_db, "validate", "--tables", ",".join(tables), "--start-date", BUILT_FROM)
    assert result.exit_code == 0, result.output
