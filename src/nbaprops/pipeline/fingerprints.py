"""Input fingerprints: what a partition's inputs looked like when it was computed.

A partition is fresh while the fingerprint of what it reads is unchanged. Per input table and date, the data
fingerprint is an order-independent hash of that date's rows (for raw tables, computed on the spot; for derived
tables, the one `ops.partitions` recorded at write time). Tables without dates (players, teams) contribute one
hash of their whole content. A same-date transform combines its inputs' fingerprints of that date; a season-lookback
transform those of every date of the season up to it (rolling windows read them all).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from nbaprops.pipeline.transform import Transform

MODULUS = 18446744073709551557  # a prime below 2**64 keeps sums of hashes in range


def _date_column(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    schema, name = table.split(".")
    cols = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).fetchall()
    }
    for candidate in ("game_date", "partition_date"):
        if candidate in cols:
            return candidate
    return None


def _raw_sql(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """(d, fp) rows of a raw table: one per date, or one undated row for tables without dates."""
    column = _date_column(con, table)
    if column is None:
        return f"SELECT NULL::DATE AS d, CAST(coalesce(sum(hash(t)), 0) AS HUGEINT) AS fp FROM {table} t"
    return f"SELECT {column} AS d, CAST(sum(hash(t)) AS HUGEINT) AS fp FROM {table} t GROUP BY 1"


def snapshot_raw_fingerprints(con: duckdb.DuckDBPyConnection, transforms: dict[str, Transform]) -> None:
    """Hash every raw input once (raw tables do not change while a plan is built and run) into the temp table
    `raw_fingerprints` that `input_fingerprints` reads."""
    raw = sorted({table for t in transforms.values() for table in t.inputs if table not in transforms})
    parts = [f"SELECT '{table}' AS tbl, d, fp FROM ({_raw_sql(con, table)})" for table in raw]
    body = " UNION ALL ".join(parts) or "SELECT NULL::VARCHAR AS tbl, NULL::DATE AS d, NULL::HUGEINT AS fp LIMIT 0"
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw_fingerprints AS {body}")


def _input_sql(table: str, derived: dict[str, Transform]) -> str:
    """SQL yielding (d, fp) rows for one input: recorded partitions of a derived table, the snapshot of a raw one."""
    if table in derived:
        return (
            "SELECT partition_date AS d, CAST(data_fingerprint AS HUGEINT) AS fp FROM ops.partitions "
            f"WHERE table_name = '{table}' AND state = 'done' AND data_fingerprint IS NOT NULL"
        )
    return f"SELECT d, fp FROM raw_fingerprints WHERE tbl = '{table}'"


def input_fingerprints(
    con: duckdb.DuckDBPyConnection,
    transform: Transform,
    derived: dict[str, Transform],
    dates: list[dt.date],
) -> dict[dt.date, str]:
    """The current input fingerprint of each of `dates` for `transform` (after `snapshot_raw_fingerprints`)."""
    if not dates:
        return {}
    parts = [
        f"SELECT '{table}' AS tbl, d, fp FROM ({_input_sql(table, derived)})" for table in sorted(transform.inputs)
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE fp_targets (d DATE)")
    con.executemany("INSERT INTO fp_targets VALUES (?)", [(d,) for d in dates])
    if transform.lookback == "same_date":
        window = "i.d = t.d"
    else:
        window = "i.d <= t.d AND season_year_of(i.d) = season_year_of(t.d)"
    rows = con.execute(
        f"""
        WITH inputs AS ({" UNION ALL ".join(parts)}),
        hashed AS (SELECT tbl, d, CAST(hash(tbl, d, fp) AS HUGEINT) AS h FROM inputs)
        SELECT t.d,
               CAST((coalesce(sum(i.h), 0) + (SELECT coalesce(sum(h), 0) FROM hashed WHERE d IS NULL)) % {MODULUS}
                    AS VARCHAR)
        FROM fp_targets t LEFT JOIN hashed i ON i.d IS NOT NULL AND {window}
        GROUP BY t.d
        """
    ).fetchall()
    return {d: fp for d, fp in rows}
