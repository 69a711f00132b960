"""The ledger: every statement on `ops.partitions` (one row per derived table and date: done, failed or skipped,
with fingerprints) and `ops.runs` (one row per command run) lives here, so their meaning is written once.

Writers call these inside their own transaction where a partition's rows and its ledger row must commit together.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

import duckdb

FAILURE_CATEGORIES = ("no_data", "upstream", "processing", "timeout", "configuration", "unknown")
HASH_MODULUS = 18446744073709551557  # a prime below 2**64 keeps sums of row hashes in range


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", [schema, name]
        ).fetchone()[0]
    )


# --- partitions ---------------------------------------------------------------------------------------------------
def partition_records(con: duckdb.DuckDBPyConnection, table: str) -> dict[dt.date, tuple]:
    """date -> (state, transform fingerprint, input fingerprint, rows) of every ledgered partition of `table`."""
    return {
        d: (state, tf, inp, rows)
        for d, state, tf, inp, rows in con.execute(
            "SELECT partition_date, state, transform_fingerprint, input_fingerprint, rows FROM ops.partitions "
            "WHERE table_name = ?",
            [table],
        ).fetchall()
    }


def partition_states(
    con: duckdb.DuckDBPyConnection, table: str | None = None, dates: Sequence[dt.date] | None = None
) -> dict[tuple[str, dt.date], tuple[str, int | None]]:
    """(table, date) -> (state, rows), for one table and some dates or for everything."""
    rows = con.execute(
        "SELECT table_name, partition_date, state, rows FROM ops.partitions "
        "WHERE ($table IS NULL OR table_name = $table) AND ($dates IS NULL OR list_contains($dates, partition_date))",
        {"table": table, "dates": list(dates) if dates is not None else None},
    ).fetchall()
    return {(t, d): (state, n) for t, d, state, n in rows}


def skipped_dates(con: duckdb.DuckDBPyConnection, table: str) -> set[dt.date]:
    return {
        r[0]
        for r in con.execute(
            "SELECT partition_date FROM ops.partitions WHERE table_name = ? AND state = 'skipped'", [table]
        ).fetchall()
    }


def done_fingerprints_sql(table: str) -> str:
    """SQL of (d, fp): the data fingerprint recorded for each done partition of a derived table."""
    return (
        "SELECT partition_date AS d, CAST(data_fingerprint AS HUGEINT) AS fp FROM ops.partitions "
        f"WHERE table_name = '{table}' AND state = 'done' AND data_fingerprint IS NOT NULL"
    )


FINGERPRINT_DIGITS = 6  # significant digits of a floating-point value that a data fingerprint sees
GRID_SHIFT = 1.0000001414213562  # 1 + sqrt(2)e-7: moves short decimals off the rounding grid's boundaries


def row_hash_sql(con: duckdb.DuckDBPyConnection, table: str, alias: str = "t") -> str:
    """SQL hashing one row of `table`, floating-point values rounded to FINGERPRINT_DIGITS significant digits. Why:
    the last bits of a parallel float sum (an average, a deviation) vary from run to run and between engines; they
    must not make a rebuilt partition look changed and restale everything downstream.

    The values are scaled by GRID_SHIFT first: a sum of fixed-point minutes such as 27.32875 sits exactly on a
    rounding boundary of the decimal grid, where noise in the last bit (27.328749999999996) flips the rounded
    value; on the shifted grid no short decimal lies on a boundary, and noise of 1e-13 flips about one value in 10^8.
    """
    columns = con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()
    values = []
    for name, kind, *_ in columns:
        value = f'{alias}."{name}"'
        if kind in ("DOUBLE", "FLOAT"):
            digits = f"{FINGERPRINT_DIGITS - 1} - CAST(floor(log10(abs({value}))) AS INTEGER)"
            shifted = f"round({value} * {GRID_SHIFT!r}, {digits})"
            value = f"CASE WHEN isfinite({value}) AND {value} <> 0 THEN {shifted} ELSE {value} END"
        values.append(value)
    return f"hash({', '.join(values)})"


def data_fingerprints(
    con: duckdb.DuckDBPyConnection, table: str, partition_column: str, dates_table: str
) -> dict[dt.date, tuple[int, str]]:
    """date -> (rows, order-independent hash of the rows) of `table` on the dates listed in `dates_table`."""
    return {
        d: (n, fp)
        for d, n, fp in con.execute(
            f"SELECT t.{partition_column}, count(*), CAST(sum({row_hash_sql(con, table)}) % {HASH_MODULUS} AS VARCHAR) "
            f"FROM {table} t WHERE t.{partition_column} IN (SELECT d FROM {dates_table}) GROUP BY 1"
        ).fetchall()
    }


def record_done(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple]) -> None:
    """Replace the ledger rows of done partitions; each row is (date, reason, rows, run id, transform fingerprint,
    input fingerprint, data fingerprint, forced). Call inside the writer's transaction."""
    rows = list(rows)
    con.execute(
        "DELETE FROM ops.partitions WHERE table_name = ? AND partition_date IN (SELECT unnest(?::DATE[]))",
        [table, [r[0] for r in rows]],
    )
    if not rows:
        return
    # one INSERT of column lists unnested side by side: `executemany` runs one statement per partition, a tenth of
    # a full rebuild's time at 10x the corpus
    dates, reasons, counts, run_ids, transforms, inputs, datas, forced = (list(c) for c in zip(*rows, strict=True))
    con.execute(
        "INSERT INTO ops.partitions (table_name, partition_date, state, reason, rows, run_id, transform_fingerprint, "
        "input_fingerprint, data_fingerprint, forced) SELECT ?, unnest(?::DATE[]), 'done', unnest(?::VARCHAR[]), "
        "unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
        "unnest(?::BOOLEAN[])",
        [table, dates, reasons, counts, run_ids, transforms, inputs, datas, forced],
    )


def record_not_done(
    con: duckdb.DuckDBPyConnection, table: str, dates: Sequence[dt.date], *, state: str, reason: str, run_id: int,
    fingerprint: str | None = None, category: str | None = None, partition_column: str | None = None,
    input_fingerprints: dict[dt.date, str] | None = None,
) -> None:  # fmt: skip
    """Record partitions as failed or skipped, in one transaction. With `partition_column`, the table's rows of those
    dates go too (a skipped bootstrap day keeps no rows an earlier --include-bootstrap run wrote). A failure keeps
    the input fingerprints it saw, so the planner retries it once its inputs change."""
    if state not in ("failed", "skipped"):
        raise ValueError(f"state must be failed or skipped, not {state!r}")
    if category is not None and category not in FAILURE_CATEGORIES:
        raise ValueError(f"unknown failure category {category!r}")
    con.execute("BEGIN TRANSACTION")
    if partition_column is not None and table_exists(con, table):
        con.execute(f"DELETE FROM {table} WHERE {partition_column} IN (SELECT unnest(?::DATE[]))", [list(dates)])
    con.execute(
        "DELETE FROM ops.partitions WHERE table_name = ? AND partition_date IN (SELECT unnest(?::DATE[]))",
        [table, list(dates)],
    )
    con.executemany(
        "INSERT INTO ops.partitions (table_name, partition_date, state, reason, rows, run_id, transform_fingerprint, "
        "input_fingerprint, failure_category) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)",
        [(table, d, state, reason, run_id, fingerprint, (input_fingerprints or {}).get(d), category) for d in dates],
    )
    con.execute("COMMIT")


def forget_partitions(con: duckdb.DuckDBPyConnection, table: str, from_date: dt.date | None = None) -> None:
    """Drop a table's ledger rows (from a date on): its rows were dropped or its shape changed."""
    con.execute(
        "DELETE FROM ops.partitions WHERE table_name = ? AND (? IS NULL OR partition_date >= ?)",
        [table, from_date, from_date],
    )


# --- runs ---------------------------------------------------------------------------------------------------------
def close_interrupted_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Runs still 'running' when a new writer starts died mid-way (only one writer can hold the file)."""
    interrupted = con.execute("SELECT count(*) FROM ops.runs WHERE status = 'running'").fetchone()[0]
    if interrupted:
        con.execute(
            "UPDATE ops.runs SET status = 'failed', finished_at = coalesce(finished_at, current_timestamp), "
            "error = 'interrupted (the process ended before finishing)', failure_category = 'unknown' "
            "WHERE status = 'running'"
        )
    return interrupted


def start_run(con: duckdb.DuckDBPyConnection, command: str, start: dt.date | None, end: dt.date | None) -> int:
    close_interrupted_runs(con)
    # Not a sequence: DuckDB may hand out a sequence value again after a crash; one writer makes max + 1 safe.
    run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ops.runs").fetchone()[0]
    con.execute(
        "INSERT INTO ops.runs (run_id, command, start_date, end_date, status, rows, started_at) "
        "VALUES (?, ?, ?, ?, 'running', 0, ?)",
        [run_id, command, start, end, dt.datetime.now()],
    )
    return run_id


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    *,
    status: str,
    rows: int,
    details: dict,
    error: str | None = None,
    failure_category: str | None = None,
) -> None:
    if failure_category is not None and failure_category not in FAILURE_CATEGORIES:
        raise ValueError(f"unknown failure category {failure_category!r}")
    con.execute(
        "UPDATE ops.runs SET status = ?, rows = ?, finished_at = ?, error = ?, failure_category = ?, details = ? "
        "WHERE run_id = ?",
        [status, rows, dt.datetime.now(), error, failure_category, json.dumps(details, default=str), run_id],
    )


def mark_run_partial(con: duckdb.DuckDBPyConnection, run_id: int, reason: str) -> None:
    """A run whose partitions all succeeded but whose command failed elsewhere (a live source): `partial`, with the
    reason added to its error. A failed run stays failed."""
    con.execute(
        "UPDATE ops.runs SET status = CASE WHEN status = 'failed' THEN status ELSE 'partial' END, "
        "error = left(concat_ws('; ', error, ?), 2000) WHERE run_id = ?",
        [reason, run_id],
    )


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int) -> list[tuple]:
    """(run id, command, start, end, status, rows, started, finished, seconds, failure category, error, details)."""
    return con.execute(
        "SELECT run_id, command, start_date, end_date, status, rows, started_at, finished_at, "
        "date_diff('millisecond', started_at, finished_at) / 1000.0, coalesce(failure_category, ''), "
        f"coalesce(error, ''), details FROM ops.runs ORDER BY run_id DESC LIMIT {int(limit)}"
    ).fetchall()  # a literal, not a parameter: binding one makes DuckDB import pandas (~0.7 s) when installed
