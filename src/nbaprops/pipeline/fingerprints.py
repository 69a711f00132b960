"""Input fingerprints: what a partition's inputs looked like when it was computed.

A partition is fresh while the fingerprint of what it reads is unchanged. Per input table and date, the data
fingerprint is an order-independent hash of that date's rows (for raw tables, computed on the spot; for derived
tables, the one `ops.partitions` recorded at write time). Tables without dates (players, teams) contribute one
hash of their whole content. Each input contributes the dates its declared lookback reads: that date, every date of
the season up to it (rolling windows), or every date up to it (history).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from nbaprops.pipeline.transform import Transform
from nbaprops.raw.catalog import raw_table
from nbaprops.warehouse import ledger

MODULUS = ledger.HASH_MODULUS


def _raw_sql(table: str) -> str:
    """(d, fp) rows of a raw table: one per date, or one undated row for tables without dates."""
    column = raw_table(table).date_column
    if column is None:
        return f"SELECT NULL::DATE AS d, CAST(coalesce(sum(hash(t)), 0) AS HUGEINT) AS fp FROM {table} t"
    return f"SELECT {column} AS d, CAST(sum(hash(t)) AS HUGEINT) AS fp FROM {table} t GROUP BY 1"


def snapshot_raw_fingerprints(con: duckdb.DuckDBPyConnection, transforms: dict[str, Transform]) -> None:
    """Hash every raw input once (raw tables do not change while a plan is built and run) into the temp table
    `raw_fingerprints` that `input_fingerprints` reads."""
    raw = sorted({table for t in transforms.values() for table in t.inputs if table not in transforms})
    parts = [f"SELECT '{table}' AS tbl, d, fp FROM ({_raw_sql(table)})" for table in raw]
    body = " UNION ALL ".join(parts) or "SELECT NULL::VARCHAR AS tbl, NULL::DATE AS d, NULL::HUGEINT AS fp LIMIT 0"
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw_fingerprints AS {body}")


def _input_sql(table: str, derived: dict[str, Transform]) -> str:
    """SQL yielding (d, fp) rows for one input: recorded partitions of a derived table, the snapshot of a raw one."""
    if table in derived:
        return ledger.done_fingerprints_sql(table)
    return f"SELECT d, fp FROM raw_fingerprints WHERE tbl = '{table}'"


def input_fingerprints(
    con: duckdb.DuckDBPyConnection,
    transform: Transform,
    derived: dict[str, Transform],
    dates: list[dt.date],
    parameters: dict[str, object] | None = None,
) -> dict[dt.date, str]:
    """The current input fingerprint of each of `dates` for `transform` (after `snapshot_raw_fingerprints`); a
    Python transform's per-date versions (e.g. the model it picks) are part of it."""
    if not dates:
        return {}
    parts = [
        f"SELECT '{table}' AS tbl, '{transform.lookback_of(table)}' AS lookback, d, fp "
        f"FROM ({_input_sql(table, derived)})"
        for table in sorted(transform.inputs)
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE fp_targets (d DATE)")
    con.executemany("INSERT INTO fp_targets VALUES (?)", [(d,) for d in dates])
    window = (
        "CASE i.lookback WHEN 'same_date' THEN i.d = t.d "
        "WHEN 'season' THEN i.d <= t.d AND season_year_of(i.d) = season_year_of(t.d) ELSE i.d <= t.d END"
    )
    rows = con.execute(
        f"""
        WITH inputs AS ({" UNION ALL ".join(parts)}),
        hashed AS (SELECT tbl, lookback, d, CAST(hash(tbl, d, fp) AS HUGEINT) AS h FROM inputs)
        SELECT t.d,
               CAST((coalesce(sum(i.h), 0) + (SELECT coalesce(sum(h), 0) FROM hashed WHERE d IS NULL)) % {MODULUS}
                    AS VARCHAR)
        FROM fp_targets t LEFT JOIN hashed i ON i.d IS NOT NULL AND {window}
        GROUP BY t.d
        """
    ).fetchall()
    fingerprints = {d: fp for d, fp in rows}
    if transform.versions is not None:
        versions = transform.versions(con, dates, parameters or {})
        fingerprints = {d: f"{fp}:{versions[d]}" for d, fp in fingerprints.items()}
    return fingerprints
