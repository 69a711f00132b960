"""Run history in `ops.runs`: one row per command, opened when it starts and closed with its outcome."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

FAILURE_CATEGORIES = ("no_data", "upstream", "processing", "timeout", "configuration", "unknown")


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
