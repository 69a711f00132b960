"""The data dictionary: every column of every table a build leaves has a description (a DuckDB comment written
from its declaration), no declaration describes a column that does not exist, and `nbaprops schema` prints it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import duckdb
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.features.columns import FEATURE_STORE, feature_store_columns
from nbaprops.pipeline.dictionary import column_descriptions, document
from nbaprops.pipeline.registry import discover
from nbaprops.raw.catalog import CATALOG, QUARANTINE
from nbaprops.warehouse.dictionary import DOCUMENTED_SCHEMAS, GLOSSARY

runner = CliRunner()
SCHEMAS = list(DOCUMENTED_SCHEMAS)


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str | None]]:
    found: dict[str, dict[str, str | None]] = {}
    for schema, table, column, comment in con.execute(
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE list_contains(?, schema_name) ORDER BY schema_name, table_name, column_index",
        [SCHEMAS],
    ).fetchall():
        found.setdefault(f"{schema}.{table}", {})[column] = comment
    return found


def _uncommentable(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables DuckDB cannot give column comments safely (warehouse/dictionary.py `commentable`)."""
    return {
        t for (t,) in con.execute(
            "SELECT DISTINCT schema_name || '.' || table_name FROM duckdb_columns() "
            "WHERE list_contains(?, schema_name) AND column_default IS NOT NULL",
            [SCHEMAS],
        ).fetchall()
    }  # fmt: skip


def test_every_column_of_every_table_has_a_description(built):
    columns = _columns(built)
    assert len(columns) >= 28 and sum(map(len, columns.values())) > 600  # the check saw the whole warehouse
    declared_only = _uncommentable(built)
    assert declared_only == {QUARANTINE.name}  # its description lives in the catalog (raw/catalog.py)
    missing = [
        f"{t}.{c}"
        for t, cols in columns.items()
        for c, comment in cols.items()
        if not (comment or (t in declared_only and (QUARANTINE.columns.get(c) or GLOSSARY.get(c))))
    ]
    assert not missing, f"{len(missing)} columns without a description:\n" + "\n".join(missing)


def test_every_table_has_a_description(built):
    described = dict(
        built.execute(
            "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() "
            "WHERE list_contains(?, schema_name) UNION ALL "
            "SELECT schema_name || '.' || view_name, comment FROM duckdb_views() WHERE list_contains(?, schema_name)",
            [SCHEMAS, SCHEMAS],
        ).fetchall()
    )
    assert {*CATALOG, QUARANTINE.name, *discover()} <= described.keys()
    assert not [t for t, comment in described.items() if not comment]


def test_comments_are_the_declarations_words(built):
    columns = _columns(built)
    transforms = discover()
    for name, transform in transforms.items():
        for column, text in column_descriptions(transform).items():
            assert columns[name][column] == text, f"{name}.{column}"
    for raw in CATALOG.values():
        for column, text in raw.columns.items():
            assert columns[raw.name][column] == text, f"{raw.name}.{column}"
    assert columns["analytics.player_game_summary"]["game_id"] == GLOSSARY["game_id"]  # shared: written once


def test_no_description_names_a_column_that_does_not_exist(built):
    """A renamed or dropped column must take its description along (stale words mislead)."""
    columns = _columns(built)
    stale = [
        f"{name}.{column}"
        for name, described in [
            *((t.name, column_descriptions(t)) for t in discover().values()),
            *((raw.name, raw.columns) for raw in (*CATALOG.values(), QUARANTINE)),
        ]
        for column in described
        if column not in columns[name]
    ]
    assert not stale, stale
    everywhere = {c for cols in columns.values() for c in cols}
    assert not set(GLOSSARY) - everywhere, "glossary terms no table has"
    assert FEATURE_STORE in columns and set(feature_store_columns()) <= set(columns[FEATURE_STORE])


def test_document_brings_an_undocumented_warehouse_up_to_date(built_db, tmp_path):
    """A warehouse built before the dictionary (or a table recreated) gets every comment back from a backfill."""
    path = tmp_path / "w.duckdb"
    shutil.copy(built_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("COMMENT ON COLUMN analytics.player_game_summary.usage_rate IS NULL")
        con.execute("COMMENT ON TABLE raw.teams IS NULL")
        con.execute("COMMENT ON VIEW raw.games IS NULL")
        document(con, discover())
        assert (
            _columns(con)["analytics.player_game_summary"]["usage_rate"]
            == (discover()["analytics.player_game_summary"].columns["usage_rate"])
        )
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'teams'").fetchone()[0]
        assert con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'games'").fetchone()[0]


def test_schema_command_lists_tables_and_columns(built_db):
    listed = runner.invoke(app, ["--db", str(built_db), "schema", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    tables = {row["table"]: row for row in json.loads(listed.stdout)}
    with duckdb.connect(str(built_db), read_only=True) as con:
        games = con.execute("SELECT count(*) FROM analytics.player_game_summary").fetchone()[0]
        kinds = dict(
            con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'player_game_summary'"
            ).fetchall()
        )
    assert tables["analytics.player_game_summary"]["rows"] == games
    assert tables["raw.teams"] == {"table": "raw.teams", "rows": 30, "description": "NBA teams by tricode"}
    one = runner.invoke(app, ["--db", str(built_db), "schema", "analytics.player_game_summary", "--format", "json"])
    assert one.exit_code == 0, one.output
    shown = {c["column"]: c for c in json.loads(one.stdout)["columns"]}
    assert {c: v["type"] for c, v in shown.items()} == kinds
    usage = discover()["analytics.player_game_summary"].columns["usage_rate"]
    assert shown["usage_rate"]["description"] == usage
    text = runner.invoke(app, ["--db", str(built_db), "schema", "raw.teams"], env={"COLUMNS": "200"})
    assert text.exit_code == 0 and "bbref_code" in text.output and "Basketball-Reference code" in text.output
    bad = runner.invoke(app, ["--db", str(built_db), "schema", "raw.nope"])
    assert bad.exit_code == 2 and "no table raw.nope in the warehouse; tables: analytics." in bad.output


def test_a_crash_after_documenting_leaves_a_readable_warehouse(tmp_path):
    """DuckDB cannot replay a WAL holding a column comment of a table with a DEFAULT (raw.quarantine): documenting
    must not put one there, or a crash before the next checkpoint leaves the file unreadable."""
    path = tmp_path / "w.duckdb"
    script = (
        "import os, sys\n"
        "from nbaprops.pipeline.dictionary import document\n"
        "from nbaprops.pipeline.registry import discover\n"
        "from nbaprops.warehouse import connect\n"
        "con = connect(sys.argv[1])\n"
        "con.execute('CHECKPOINT')\n"
        "document(con, discover())\n"
        "os._exit(0)  # a crash: no checkpoint, the comments are only in the WAL\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)
    assert path.with_name("w.duckdb.wal").exists()
    with duckdb.connect(str(path)) as con:
        comments = dict(
            con.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = 'teams'"
            ).fetchall()
        )
        assert comments["bbref_code"] == CATALOG["raw.teams"].columns["bbref_code"]
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'quarantine'").fetchone()[0]
