"""The runner owns the write: one transaction replaces a transform's rows for a set of dates and records each
(table, date) partition in `ops.partitions`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from nbaprops.pipeline.dictionary import document_transform
from nbaprops.pipeline.transform import COMPUTED_ROWS, Transform
from nbaprops.warehouse import ledger


@dataclass(frozen=True)
class BatchResult:
    table: str
    dates: tuple[dt.date, ...]
    rows: int
    rows_by_date: dict[dt.date, int]


def _select_columns(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[tuple[str, str]]:
    return [(d[0], d[1]) for d in con.execute(f"DESCRIBE SELECT * FROM ({sql}) LIMIT 0", params).fetchall()]


def ensure_output_table(con: duckdb.DuckDBPyConnection, transform: Transform, params: dict) -> bool:
    """Create the output table from the SELECT's shape; recreate it (forgetting its partitions) when the shape
    changed. Returns True when the table was (re)created."""
    wanted = _select_columns(con, transform.sql, params)
    schema, table = transform.name.split(".")
    existing = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    if [tuple(c) for c in existing] == wanted:
        return False
    con.execute(f"DROP TABLE IF EXISTS {transform.name}")
    con.execute(f"CREATE TABLE {transform.name} AS SELECT * FROM ({transform.sql}) LIMIT 0", params)
    ledger.forget_partitions(con, transform.name)
    return True


def write_batch(
    con: duckdb.DuckDBPyConnection,
    transform: Transform,
    dates: list[dt.date],
    *,
    run_id: int,
    settings: dict[str, object],
    input_fingerprints: dict[dt.date, str] | None = None,
    forced: bool = False,
) -> BatchResult:
    """Compute `transform` for `dates` with one SELECT over [min, max] and replace exactly those partitions."""
    dates = sorted(set(dates))
    start, end = dates[0], dates[-1]
    params = transform.parameters({**settings, "start_date": start, "end_date": end})
    pcol = transform.partition_column
    if transform.compute is not None:  # a Python transform computes its rows before the write transaction
        con.register(COMPUTED_ROWS, transform.compute(con, dates, settings))
    con.execute("BEGIN TRANSACTION")
    try:
        ensure_output_table(con, transform, params)
        document_transform(con, transform)  # a (re)created table has no comments; a changed description lands too
        con.execute("CREATE OR REPLACE TEMP TABLE batch_dates (d DATE)")
        con.executemany("INSERT INTO batch_dates VALUES (?)", [(d,) for d in dates])
        con.execute(f"DELETE FROM {transform.name} WHERE {pcol} IN (SELECT d FROM batch_dates)")
        con.execute(
            f"INSERT INTO {transform.name} SELECT * FROM ({transform.sql}) q "
            f"WHERE q.{pcol} IN (SELECT d FROM batch_dates)",
            params,
        )
        stats = ledger.data_fingerprints(con, transform.name, pcol, "batch_dates")
        fingerprints = input_fingerprints or {}
        ledger.record_done(
            con,
            transform.name,
            [
                (
                    d, None if d in stats else "no rows", stats.get(d, (0, None))[0], run_id, transform.fingerprint,
                    fingerprints.get(d), stats.get(d, (0, None))[1], forced,
                )
                for d in dates
            ],
        )  # fmt: skip
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        if transform.compute is not None:
            con.unregister(COMPUTED_ROWS)
    rows_by_date = {d: stats.get(d, (0, None))[0] for d in dates}
    return BatchResult(transform.name, tuple(dates), sum(rows_by_date.values()), rows_by_date)
