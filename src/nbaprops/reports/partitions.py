"""`nbaprops status`, derived tables: per table and season, done / expected dates (bootstrap-aware), stale and
failed counts; and the last runs."""

from __future__ import annotations

import datetime as dt

import duckdb
from rich.console import Console
from rich.table import Table

from nbaprops.calendar import SeasonCalendar, season_label, season_year_of
from nbaprops.pipeline.planner import BackfillRequest, build_plan
from nbaprops.pipeline.registry import discover
from nbaprops.warehouse import ledger


def print_partition_status(console: Console, con: duckdb.DuckDBPyConnection, *, plan: bool = True) -> None:
    """Per table and season: with `plan`, done / expected with stale and missing counts (plans a backfill of
    every date, which fingerprints every input: slow on a full warehouse); without, the ledger's counts alone."""
    if not plan:
        _print_ledger_counts(console, con)
        return
    transforms = discover()
    calendar = SeasonCalendar.load(con)
    if not transforms or not calendar.game_dates:
        return
    request = BackfillRequest(calendar.game_dates[0], calendar.game_dates[-1])
    full = build_plan(con, transforms, calendar, request)
    states = {key: state for key, (state, _rows) in ledger.partition_states(con).items()}
    table = Table(title="Derived tables (expected = game dates, bootstrap days excluded where they apply)")
    for col in ("table", "season", "done / expected", "stale", "failed", "missing", "bootstrap skipped"):
        table.add_column(col, justify="left" if col in ("table", "season") else "right")
    for tp in full.tables:
        name = tp.transform.name
        for season in sorted({season_year_of(d) for d in tp.expected}):
            expected = [d for d in tp.expected if season_year_of(d) == season]
            done = sum(states.get((name, d)) == "done" for d in expected)
            failed = sum(states.get((name, d)) == "failed" for d in expected)
            stale = sum(states.get((name, d)) == "done" and d in tp.work for d in expected)
            missing = sum((name, d) not in states for d in expected)
            boot = sum(season_year_of(d) == season for d in tp.skipped_bootstrap)
            style = "green" if done - stale == len(expected) else "yellow"
            table.add_row(
                name, season_label(season), f"[{style}]{done - stale}/{len(expected)}[/{style}]", str(stale),
                str(failed), str(missing), str(boot),
            )  # fmt: skip
    console.print(table)


def _print_ledger_counts(console: Console, con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "SELECT table_name, season_label(season_year_of(partition_date)) AS season, "
        "count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'failed'), "
        "count(*) FILTER (WHERE state = 'skipped'), max(partition_date) FILTER (WHERE state = 'done') "
        "FROM ops.partitions GROUP BY ALL ORDER BY table_name, season"
    ).fetchall()
    if not rows:
        return
    table = Table(title="Derived tables (ledger; `nbaprops status --plan` adds stale and missing counts)")
    for col in ("table", "season", "done", "failed", "bootstrap skipped", "last done"):
        table.add_column(col, justify="left" if col in ("table", "season") else "right")
    for name, season, done, failed, skipped, last in rows:
        failed_text = f"[red]{failed}[/red]" if failed else "0"
        table.add_row(name, season, str(done), failed_text, str(skipped), str(last or ""))
    console.print(table)


def print_recent_runs(console: Console, con: duckdb.DuckDBPyConnection, limit: int = 5) -> None:
    rows = [(*r[:8], r[9], r[10][:120]) for r in ledger.recent_runs(con, limit)]
    if not rows:
        return
    table = Table(title="Last runs")
    for col in ("run", "command", "range", "status", "rows", "seconds", "failure", "error"):
        table.add_column(col)
    for run_id, command, start, end, status, n, started, finished, category, error in rows:
        seconds = f"{(finished - started).total_seconds():.1f}" if isinstance(finished, dt.datetime) else ""
        table.add_row(str(run_id), command, f"{start}..{end}", status, f"{n or 0:,}", seconds, category, error)
    console.print(table)
