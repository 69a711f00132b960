"""Migrations: applied once, in order, and a version that landed late is still applied."""

from nbaprops.warehouse import connect
from nbaprops.warehouse.connection import _migrations, migrate


def test_every_migration_is_applied_once(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    versions = [v for (v,) in con.execute("SELECT version FROM ops.schema_version ORDER BY 1").fetchall()]
    assert versions == [v for v, _, _ in _migrations()]
    assert migrate(con) == []
    schemas = {s for (s,) in con.execute("SELECT schema_name FROM information_schema.schemata").fetchall()}
    assert {"raw", "analytics", "precompute", "features", "predictions", "ops"} <= schemas


def test_a_missing_older_version_is_applied_later(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("DROP TABLE raw.injuries")
    con.execute("DROP TABLE ops.http_requests")
    con.execute("DELETE FROM ops.schema_version WHERE version = 3")
    assert migrate(con) == [3]
    assert con.execute("SELECT count(*) FROM raw.injuries").fetchone() == (0,)


def test_a_file_named_after_a_schema_is_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="cannot be named after a schema"):
        connect(tmp_path / "analytics.duckdb")
