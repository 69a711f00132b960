"""The `nbaprops` command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from nbaprops.config import default_archive_path, default_db_path
from nbaprops.warehouse import WarehouseLocked, connect

app = typer.Typer(help="NBA player-points props: ingest, backfill, validate, predict.", no_args_is_help=True)
ingest_app = typer.Typer(help="Load source data into the raw tables.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")

console = Console()
err_console = Console(stderr=True)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option("--db", envvar="NBAPROPS_DB", help="Warehouse file.")] = default_db_path(),
) -> None:
    ctx.obj = {"db": db}


def open_warehouse(ctx: typer.Context, *, read_only: bool = False):
    db: Path = ctx.obj["db"]
    if read_only and not db.exists():
        err_console.print(f"[red]no warehouse at {db}[/red]: run `nbaprops ingest archive` first")
        raise typer.Exit(2)
    try:
        return connect(db, read_only=read_only)
    except WarehouseLocked as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(3) from None


@ingest_app.command("archive")
def ingest_archive_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The archive folder (../shared/data/nba).")] = default_archive_path(),
    seasons: Annotated[str | None, typer.Option(help="Only these seasons, e.g. 2023-24,2024-25.")] = None,
    force: Annotated[bool, typer.Option(help="Reload files even when unchanged.")] = False,
) -> None:
    """Load every file of the archive corpus into the raw tables (idempotent)."""
    from nbaprops.raw.families import parse_seasons
    from nbaprops.raw.ingest import ingest_archive
    from nbaprops.reports.ingest import print_file_result, print_ingest_summary

    try:
        season_set = parse_seasons(seasons)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--seasons") from None
    con = open_warehouse(ctx)
    try:
        summary = ingest_archive(con, path, season_set, force=force, on_file=lambda r: print_file_result(console, r))
    except FileNotFoundError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    print_ingest_summary(console, summary)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def build(
    ctx: typer.Context,
    archive: Annotated[Path, typer.Option(help="The archive folder.")] = default_archive_path(),
) -> None:
    """The main job: ingest the archive corpus, backfill every derived table, then show what the warehouse holds."""
    ingest_archive_cmd(ctx, archive, seasons=None, force=False)
    backfill(ctx)
    status(ctx)


def _parse_date(value: str | None, option: str):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value}", param_hint=option) from None


def _split(value: str | None) -> tuple[str, ...] | None:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else None


@app.command()
def backfill(
    ctx: typer.Context,
    start_date: Annotated[str | None, typer.Option("--start-date", help="First date (default: first game).")] = None,
    end_date: Annotated[str | None, typer.Option("--end-date", help="Last date (default: last game).")] = None,
    dates: Annotated[str | None, typer.Option("--dates", help="Explicit dates D1,D2,...")] = None,
    phases: Annotated[str | None, typer.Option("--phases", help="analytics,precompute,features")] = None,
    tables: Annotated[str | None, typer.Option("--tables", help="Only these tables (comma-separated).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    no_resume: Annotated[bool, typer.Option("--no-resume", help="Recompute every partition in range.")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Also recompute failed partitions.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Run even when input gates fail (recorded).")] = False,
    workers: Annotated[int, typer.Option("--workers", help="DuckDB threads for each set-based query.")] = 2,
    include_bootstrap: Annotated[bool, typer.Option("--include-bootstrap", help="Compute bootstrap days too.")] = False,
    batch_days: Annotated[int, typer.Option("--batch-days", help="Game dates per SQL execution.")] = 400,
    newest_first: Annotated[bool, typer.Option("--newest-first", help="Compute recent dates first.")] = False,
) -> None:
    """Rebuild derived tables for a date range: only what is missing, stale or failed, in DAG order, with gates."""
    from nbaprops.calendar import SeasonCalendar
    from nbaprops.pipeline.partitions import ReprocessMode
    from nbaprops.pipeline.planner import BackfillRequest, build_plan
    from nbaprops.pipeline.registry import RegistryError, discover
    from nbaprops.pipeline.runner import execute_plan
    from nbaprops.reports.backfill import ConsoleReporter, print_plan, print_run_summary

    try:
        transforms = discover()
    except RegistryError as exc:
        err_console.print(f"[red]configuration error: {exc}[/red]")
        raise typer.Exit(2) from None
    con = open_warehouse(ctx)
    con.execute(f"SET threads = {max(1, workers)}")
    calendar = SeasonCalendar.load(con)
    if not calendar.game_dates:
        err_console.print("[red]no games loaded[/red]: run `nbaprops ingest archive` first")
        raise typer.Exit(2)
    explicit = _split(dates)
    date_set = frozenset(_parse_date(d, "--dates") for d in explicit) if explicit else None
    start = _parse_date(start_date, "--start-date") or (min(date_set) if date_set else calendar.game_dates[0])
    end = _parse_date(end_date, "--end-date") or (max(date_set) if date_set else calendar.game_dates[-1])
    mode = ReprocessMode.ALL if no_resume else (ReprocessMode.FAILED if retry_failed else ReprocessMode.MISSING)
    request = BackfillRequest(
        start, end, phases=_split(phases), tables=_split(tables), dates=date_set, mode=mode,
        include_bootstrap=include_bootstrap, newest_first=newest_first,
    )  # fmt: skip
    try:
        plan = build_plan(con, transforms, calendar, request)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if dry_run:
        print_plan(console, plan)
        return
    reporter = ConsoleReporter(console)
    try:
        summary = execute_plan(
            con, plan, transforms, calendar, command="nbaprops " + " ".join(sys.argv[1:]),
            batch_days=batch_days, force=force, reporter=reporter,
        )  # fmt: skip
    finally:
        reporter.close()
    print_run_summary(console, summary)
    if summary.failed:
        err_console.print(f"[red]{summary.failed} partition(s) failed[/red]: see above and `nbaprops status`")
        raise typer.Exit(1)


@app.command("run-table")
def run_table_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Output table, e.g. analytics.player_game_summary.")],
    start_date: Annotated[str, typer.Option("--start-date", help="First date (YYYY-MM-DD).")],
    end_date: Annotated[str, typer.Option("--end-date", help="Last date (YYYY-MM-DD).")],
) -> None:
    """Compute one table for a date range (no dependency handling: see `nbaprops backfill`)."""
    import datetime as dt

    from nbaprops.calendar import SeasonCalendar
    from nbaprops.pipeline.registry import discover
    from nbaprops.pipeline.settings import pipeline_settings
    from nbaprops.pipeline.writer import write_batch

    transforms = discover()
    if name not in transforms:
        raise typer.BadParameter(f"unknown table; known: {', '.join(sorted(transforms))}", param_hint="NAME")
    transform = transforms[name]
    con = open_warehouse(ctx)
    calendar = SeasonCalendar.load(con)
    dates = calendar.dates_between(
        dt.date.fromisoformat(start_date),
        dt.date.fromisoformat(end_date),
        skip_bootstrap=transform.bootstrap,
        played_only=transform.dates == "played",
    )
    if not dates:
        console.print(f"no game dates for {name} between {start_date} and {end_date}")
        return
    run_id = con.execute("SELECT nextval('ops.run_id_seq')").fetchone()[0]
    result = write_batch(con, transform, dates, run_id=run_id, settings=pipeline_settings())
    console.print(f"{name}: {result.rows:,} rows for {len(dates)} dates ({dates[0]} to {dates[-1]})")


@app.command()
def status(ctx: typer.Context) -> None:
    """What the warehouse holds: raw tables, last ingests, unresolved players."""
    from nbaprops.reports.status import print_status

    con = open_warehouse(ctx, read_only=True)
    print_status(console, con)


if __name__ == "__main__":
    app()
