"""`nbaprops export`: the Parquet lake read back by DuckDB equals the warehouse tables, and the manifest tells the
truth about them (rows, partitions, fingerprints)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbaprops.pipeline import lake
from nbaprops.raw.catalog import RAW_TABLES
from nbaprops.warehouse import connect, ledger


def _same(con: duckdb.DuckDBPyConnection, source: str, back: str) -> tuple[int, int]:
    """(rows only in the source, rows only in the read-back), counting duplicates."""
    return (
        con.execute(f"SELECT count(*) FROM ({source} EXCEPT ALL {back})").fetchone()[0],
        con.execute(f"SELECT count(*) FROM ({back} EXCEPT ALL {source})").fetchone()[0],
    )


@pytest.mark.realdata
def test_every_table_of_a_built_warehouse_round_trips(built_db, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    con = connect(path, read_only=True)
    try:
        first = con.execute("SELECT min(game_date) FROM raw.games").fetchone()[0]
        month = (first, first + dt.timedelta(days=30))
        tables = lake.exportable_tables(con)
        dated = [t for t in tables if lake.date_column(t) is not None]
        undated = [t for t in tables if lake.date_column(t) is None]
        assert len([t for t in tables if t not in RAW_TABLES]) >= 10, "the built warehouse lacks derived tables"
        manifest = lake.export(con, tmp_path / "lake", dated, *month)
        lake.export(con, tmp_path / "lake-undated", undated)
        assert json.loads((tmp_path / "lake" / lake.MANIFEST).read_text()) == manifest
        for table in tables:
            where_dated = table in dated
            out = tmp_path / ("lake" if where_dated else "lake-undated") / table
            schema = lake.columns(con, table)
            column = lake.date_column(table)
            source = f"SELECT * FROM {table}" + (
                f" WHERE {column} BETWEEN DATE '{month[0]}' AND DATE '{month[1]}'" if where_dated else ""
            )
            rows = con.execute(f"SELECT count(*) FROM ({source})").fetchone()[0]
            assert _same(con, source, lake.read_sql(out, schema)) == (0, 0), table
            if not where_dated:
                continue
            entry = manifest["tables"][table]
            assert entry["rows"] == rows, table
            assert [c["name"] for c in entry["columns"]] == [c for c, _ in schema]
            for part in entry["partitions"]:
                folder = lake.partition_path(out, part[lake.SEASON_KEY], dt.date.fromisoformat(part[lake.DATE_KEY]))
                assert folder.is_dir(), folder
                if table not in RAW_TABLES:  # the ledger recorded the same hash of the same rows
                    assert part["ledger_fingerprint"] == part["data_fingerprint"], (table, part)
        assert any(manifest["tables"][t]["rows"] for t in dated if t not in RAW_TABLES)
    finally:
        con.close()


def test_export_refuses_to_overwrite_and_names_unknown_tables(warehouse, tmp_path):
    with pytest.raises(ValueError, match=r"not in the warehouse: analytics\.player_game_summary"):
        lake.export(warehouse, tmp_path / "lake", ["analytics.player_game_summary"])
    lake.export(warehouse, tmp_path / "lake", ["raw.games"])
    with pytest.raises(FileExistsError, match=r"raw\.games exists"):
        lake.export(warehouse, tmp_path / "lake", ["raw.games"])


values = st.tuples(
    st.dates(dt.date(2019, 6, 25), dt.date(2020, 7, 5)),
    st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
    st.one_of(st.none(), st.floats(allow_nan=False, width=64)),
    st.one_of(st.none(), st.text(max_size=12)),
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), st.lists(st.one_of(st.none(), st.text(max_size=5)), max_size=3)),
    st.one_of(st.none(), st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1))),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(values, max_size=30))
def test_any_rows_round_trip_with_their_types(tmp_path_factory, rows):
    """Whatever the values (NULLs, unicode, extreme numbers, lists, dates across a season boundary), the lake
    gives back the rows, and the manifest's partitions add up to them with the ledger's hash."""
    tmp = tmp_path_factory.mktemp("prop")
    con = connect(tmp / "w.duckdb")
    try:
        table = "analytics.team_defense_game_summary"  # any derived table name: its partition column is game_date
        con.execute(
            f"CREATE TABLE {table} (game_date DATE, i INTEGER, x DOUBLE, s VARCHAR, b BOOLEAN, l VARCHAR[], "
            "t TIMESTAMP)"
        )
        if rows:
            con.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        manifest = lake.export(con, tmp / "lake", [table])
        back = lake.read_sql(tmp / "lake" / table, lake.columns(con, table))
        assert _same(con, f"SELECT * FROM {table}", back) == (0, 0)
        entry = manifest["tables"][table]
        assert entry["rows"] == len(rows)
        by_date: dict[str, int] = {}
        for r in rows:
            by_date[r[0].isoformat()] = by_date.get(r[0].isoformat(), 0) + 1
        assert {p[lake.DATE_KEY]: p["rows"] for p in entry["partitions"]} == by_date
        con.execute("CREATE TEMP TABLE d AS SELECT DISTINCT game_date AS d FROM " + table)
        expected = ledger.data_fingerprints(con, table, "game_date", "d")
        assert {p[lake.DATE_KEY]: p["data_fingerprint"] for p in entry["partitions"]} == {
            d.isoformat(): fp for d, (_n, fp) in expected.items()
        }
        for p in entry["partitions"]:
            season_year = int(p[lake.SEASON_KEY][:4])
            day = dt.date.fromisoformat(p[lake.DATE_KEY])
            assert season_year == (day.year if day.month >= 7 else day.year - 1)
    finally:
        con.close()


@pytest.mark.realdata
def test_the_export_command_writes_the_lake_and_rejects_bad_options(corpus_db, tmp_path):
    from typer.testing import CliRunner

    from nbaprops.cli import app

    runner = CliRunner()
    base = ["--db", str(corpus_db), "export", "--out", str(tmp_path / "lake")]
    result = runner.invoke(
        app, [*base, "--tables", "raw.games", "--start-date", "2023-10-24", "--end-date", "2023-10-31"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "lake" / lake.MANIFEST).read_text())
    assert list(manifest["tables"]) == ["raw.games"]
    assert min(p[lake.DATE_KEY] for p in manifest["tables"]["raw.games"]["partitions"]) == "2023-10-24"
    assert runner.invoke(app, [*base, "--format", "csv"]).exit_code == 2
    bad = runner.invoke(app, [*base, "--tables", "raw.nope"])
    assert bad.exit_code == 2 and "raw.nope" in bad.output
