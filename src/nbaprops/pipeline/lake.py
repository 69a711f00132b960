"""The Parquet lake: warehouse tables as Hive-partitioned Parquet, how other tools (and the Spark engine) read
nbaprops data.

Layout, one folder per table named as the table:
`<out>/<schema.table>/season_label=<YYYY-YY>/partition_date=<YYYY-MM-DD>/*.parquet` for a table with a date (a raw
table's catalog date column, a derived table's partition column), or `<out>/<schema.table>/data.parquet` for one
without. The partition keys are folder names only (named unlike any column): every file holds exactly the table's
columns, so a reader that ignores the folders still gets the table. `manifest.json` gives per table its columns and
types, rows, date column, and per partition its rows and data fingerprint (the ledger's hash,
`warehouse.ledger.data_fingerprints`; for derived tables also the fingerprint `ops.partitions` recorded).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import duckdb

from nbaprops.calendar import season_year_of
from nbaprops.pipeline.registry import discover
from nbaprops.raw.catalog import RAW_TABLES, raw_table
from nbaprops.warehouse import ledger

MANIFEST = "manifest.json"
EMPTY = "empty.parquet"  # what a dated table with no rows in the exported range holds
SEASON_KEY = "season_label"  # folder keys: no table has a column of these names
DATE_KEY = "partition_date"


def date_column(table: str) -> str | None:
    """The column a table is partitioned by in the lake (None: one unpartitioned file)."""
    if table in RAW_TABLES:
        return raw_table(table).date_column
    transforms = discover()
    if table not in transforms:
        raise ValueError(f"{table} is neither a raw table nor a derived one")
    return transforms[table].partition_column


def exportable_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every raw and derived table present in the warehouse."""
    return [t for t in (*sorted(RAW_TABLES), *sorted(discover())) if ledger.table_exists(con, t)]


def columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return [
        (c, t)
        for c, t in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "AND table_catalog = current_database() ORDER BY ordinal_position",
            [schema, name],
        ).fetchall()
    ]


def partition_path(table_dir: Path, season: str, day: dt.date) -> Path:
    return table_dir / f"{SEASON_KEY}={season}" / f"{DATE_KEY}={day.isoformat()}"


def read_sql(table_dir: Path, schema: Sequence[tuple[str, str]]) -> str:
    """DuckDB SQL reading a lake table back with the warehouse's column types (Parquet has no HUGEINT, say)."""
    select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in schema)
    return f"SELECT {select} FROM read_parquet('{table_dir}/**/*.parquet', hive_partitioning = false)"


def export_table(
    con: duckdb.DuckDBPyConnection, table: str, out: Path, start: dt.date | None = None, end: dt.date | None = None
) -> dict:
    """Write one table (the dates in [start, end] when given) and return its manifest entry."""
    column = date_column(table)
    target = out / table
    if target.exists():
        raise FileExistsError(f"{target} exists: export into an empty folder (nothing is overwritten)")
    schema = columns(con, table)
    entry: dict = {"columns": [{"name": c, "type": t} for c, t in schema], "date_column": column}
    if column is None:
        if start or end:
            raise ValueError(f"{table} has no date column: export it without --start-date/--end-date")
        target.mkdir(parents=True)
        con.execute(f"COPY (SELECT * FROM {table}) TO '{target / 'data.parquet'}' (FORMAT parquet)")
        entry["rows"] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        entry["partitions"] = []
        return entry
    where = f"{column} BETWEEN $start AND $end"
    params = {"start": start or dt.date.min, "end": end or dt.date.max}
    nulls = con.execute(f"SELECT count(*) FROM {table} WHERE {column} IS NULL").fetchone()[0]
    if nulls and not (start or end):
        raise ValueError(f"{table}: {nulls} rows have no {column}, so they have no partition in the lake")
    target.mkdir(parents=True)
    con.execute(
        f"COPY (SELECT *, season_label(season_year_of({column})) AS {SEASON_KEY}, {column} AS {DATE_KEY} "
        f"FROM {table} WHERE {where}) TO '{target}' "
        f"(FORMAT parquet, PARTITION_BY ({SEASON_KEY}, {DATE_KEY}), OVERWRITE_OR_IGNORE)",
        params,
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE export_dates AS SELECT DISTINCT {column} AS d FROM {table} WHERE {where}", params
    )
    stats = ledger.data_fingerprints(con, table, column, "export_dates")
    recorded = {d: str(fp) for d, fp in con.execute(ledger.done_fingerprints_sql(table)).fetchall()}
    entry["partitions"] = [
        {
            SEASON_KEY: season_label(d), DATE_KEY: d.isoformat(), "rows": n, "data_fingerprint": fp,
            **({"ledger_fingerprint": recorded.get(d)} if table not in RAW_TABLES else {}),
        }
        for d, (n, fp) in sorted(stats.items())
    ]  # fmt: skip
    entry["rows"] = sum(p["rows"] for p in entry["partitions"])
    if not entry["rows"]:  # no partition: one empty file keeps the schema readable
        con.execute(f"COPY (SELECT * FROM {table} LIMIT 0) TO '{target / EMPTY}' (FORMAT parquet)")
    return entry


def season_label(day: dt.date) -> str:
    """The season folder of a date (Python twin of the SQL macros season_label(season_year_of(d)))."""
    year = season_year_of(day)
    return f"{year}-{(year + 1) % 100:02d}"


def export(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    tables: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict:
    """Export `tables` (default: every raw and derived table present) to `out` and write the manifest."""
    present = exportable_tables(con)
    chosen = list(tables) if tables else present
    missing = [t for t in chosen if t not in present]
    if missing:
        raise ValueError(f"not in the warehouse: {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": "parquet",
        "layout": f"<table>/{SEASON_KEY}=<season>/{DATE_KEY}=<date>/*.parquet, or <table>/data.parquet",
        "start_date": start.isoformat() if start else None,
        "end_date": end.isoformat() if end else None,
        "tables": {t: export_table(con, t, out, start, end) for t in chosen},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest
