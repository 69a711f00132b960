"""`nbaprops status`: what the warehouse holds."""

from __future__ import annotations

import duckdb
from rich.console import Console
from rich.table import Table

from nbaprops.raw.catalog import CATALOG
from nbaprops.raw.players import identity_report, identity_stale
from nbaprops.reports.partitions import print_partition_status, print_recent_runs

# Dated raw tables of the catalog: what the sources delivered
LISTED = [t for t in CATALOG.values() if t.date_column and not t.is_view]
# ops.ingest_log logs a live payload by URL, an archive file by relative path (raw.live.LIVE_FILE; not imported:
# it pulls in the HTTP layer and pyarrow, and `status` should start fast)
LIVE_LOG = "file LIKE 'http%'"


def print_status(console: Console, con: duckdb.DuckDBPyConnection, *, plan: bool = False) -> None:
    """Everything from the warehouse's own tables, fast; `plan` also computes which partitions are stale (it
    fingerprints every input, tens of seconds on the full corpus)."""
    table = Table(title="Raw tables")
    for col in ("table", "rows", "seasons", "first date", "last date", "sources"):
        table.add_column(col)
    for raw in LISTED:
        day = raw.date_column
        season_col = f"season_label(season_year_of({day}))"
        source_col = raw.source_column if raw.source_column and raw.source_column != "source_file" else "'nba'"
        rows, seasons, first, last, sources = con.execute(  # seasons of the distinct dates, not of every row
            f"SELECT coalesce(sum(n), 0)::BIGINT, string_agg(DISTINCT {season_col}, ', ' ORDER BY {season_col}), "
            f"min({day}), max({day}), string_agg(DISTINCT src, ', ' ORDER BY src) "
            f"FROM (SELECT {day}, {source_col} AS src, count(*) AS n FROM {raw.name} GROUP BY ALL)"
        ).fetchone()
        table.add_row(raw.name, f"{rows:,}", seasons or "", str(first or ""), str(last or ""), sources or "")
    console.print(table)

    ident = identity_report(con)
    players = con.execute("SELECT count(*) FROM raw.players").fetchone()[0]
    console.print(
        f"Players: {players:,} in raw.players; {ident.resolved_rows:,} of {ident.played_rows:,} played "
        f"Basketball-Reference player-games resolved to an NBA player_id ({ident.resolved_share:.2%})."
    )
    stale = identity_stale(con)
    if stale:
        console.print(
            f"[red]Player identity is stale[/red]: {stale} file(s) were loaded after the last identity rebuild "
            "(a run stopped between the two steps); player ids may be missing. Run `nbaprops ingest archive`.",
            soft_wrap=True,
        )
    if ident.unresolved:
        unresolved = Table(title="Unresolved Basketball-Reference players")
        for col in ("bbref id", "name", "season", "played games"):
            unresolved.add_column(col)
        for bbref_id, name, season, games in ident.unresolved:
            unresolved.add_row(bbref_id, name, season, str(games))
        console.print(unresolved)

    _print_archive_ingests(console, con)
    _print_live_ingests(console, con)
    print_partition_status(console, con, plan=plan)
    print_recent_runs(console, con)
    quarantined = con.execute("SELECT count(*) FROM raw.quarantine").fetchone()[0]
    if quarantined:
        console.print(
            f"[yellow]{quarantined:,} records in raw.quarantine[/yellow] "
            "(SELECT file, line, reason FROM raw.quarantine)"
        )


def _print_archive_ingests(console: Console, con: duckdb.DuckDBPyConnection) -> None:
    """The last ingest of every archive file."""
    ingests = Table(title="Last archive ingests")
    for col in ("file", "status", "read", "loaded", "rejected", "finished", "error"):
        ingests.add_column(col)
    for row in con.execute(
        "SELECT file, status, rows_read, rows_loaded, rows_rejected, finished_at, coalesce(error, '') "
        f"FROM ops.ingest_log WHERE NOT ({LIVE_LOG}) "
        "QUALIFY row_number() OVER (PARTITION BY file ORDER BY ingest_id DESC) = 1 ORDER BY file"
    ).fetchall():
        ingests.add_row(*[str(v) if v is not None else "" for v in row])
    console.print(ingests)


def _print_live_ingests(console: Console, con: duckdb.DuckDBPyConnection, days: int = 14) -> None:
    """The live ingest log per source and fetch day (the last `days` days that fetched anything), not per URL."""
    rows = con.execute(
        f"""
        WITH live AS (
            SELECT source, started_at::DATE AS day, status, rows_loaded
            FROM ops.ingest_log WHERE {LIVE_LOG}
        )
        SELECT day, source, count(*), count(*) FILTER (WHERE status <> 'failed'),
               count(*) FILTER (WHERE status = 'failed'), sum(rows_loaded)
        FROM live WHERE day IN (SELECT DISTINCT day FROM live ORDER BY day DESC LIMIT {days})
        GROUP BY ALL ORDER BY day DESC, source
        """
    ).fetchall()
    if not rows:
        console.print("Live ingests: none yet (`nbaprops ingest live` or `nbaprops daily`).")
        return
    table = Table(title=f"Live ingests per source and day (last {days} days with fetches)")
    for col in ("day", "source", "requests", "ok", "failed", "rows"):
        table.add_column(col, justify="left" if col in ("day", "source") else "right")
    for day, source, requests, ok, failed, loaded in rows:
        style = "red" if failed else ""
        failed_text = f"[{style}]{failed}[/{style}]" if style else str(failed)
        table.add_row(str(day), source, f"{requests:,}", f"{ok:,}", failed_text, f"{loaded or 0:,}")
    console.print(table)
