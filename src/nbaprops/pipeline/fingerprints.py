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


def _input_sql(con: duckdb.DuckDBPyConnection, table: str, derived: dict[str, Transform]) -> tuple[str, bool]:
    """SQL yielding (d, fp) rows for one input, and whether it is dated."""
    if table in derived:
        return (
            "SELECT partition_date AS d, CAST(data_fingerprint AS HUGEINT) AS fp FROM ops.partitions "
            f"WHERE table_name = '{table}' AND state = 'done' AND data_fingerprint IS NOT NULL",
            True,
        )
    column = _date_column(con, table)
    if column is None:
        return f"SELECT NULL::DATE AS d, CAST(coalesce(sum(hash(t)), 0) AS HUGEINT) AS fp FROM {table} t", False
    return f"SELECT {column} AS d, CAST(sum(hash(t)) AS HUGEINT) AS fp FROM {table} t GROUP BY 1", True


def input_fingerprints(
    con: duckdb.DuckDBPyConnection,
    transform: Transform,
    derived: dict[str, Transform],
    dates: list[dt.date],
) -> dict[dt.date, str]:
    """The current input fingerprint of each of `dates` for `transform`."""
    if not dates:
        return {}
    parts = []
    for table in sorted(transform.inputs):
        sql, dated = _input_sql(con, table, derived)
        parts.append(f"SELECT '{table}' AS tbl, {'d' if dated else 'NULL::DATE'} AS d, fp FROM ({sql})")
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
