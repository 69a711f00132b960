"""The `nbaprops` command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from nbaprops.context import RunContext
from nbaprops.reports.logs import configure as configure_logging
from nbaprops.reports.logs import detach as detach_logging
from nbaprops.reports.logs import progress
from nbaprops.settings import get_settings
from nbaprops.warehouse import WarehouseLocked, connect
from nbaprops.warehouse.connection import WarehouseUnreadable, close

__all__ = ["Format", "OutputFormat", "app", "date_option", "emit_json", "progress"]

# rich_markup_mode=None: a usage error is one plain line ("Error: Invalid value for '--x': ..."), not a boxed panel.
app = typer.Typer(
    help="NBA player-points props: ingest, backfill, validate, predict.", no_args_is_help=True, rich_markup_mode=None
)
ingest_app = typer.Typer(help="Load source data into the raw tables.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(ingest_app, name="ingest")

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # an error names a path: never wrap it


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value}") from None


def date_option(flag: str, help: str):
    """The one date option of every command: YYYY-MM-DD, checked before the command runs."""
    return typer.Option(flag, parser=_date, metavar="YYYY-MM-DD", help=help)


def _check_range(start: dt.date | None, end: dt.date | None, first: str = "--start-date") -> None:
    if start is not None and end is not None and start > end:
        raise typer.BadParameter(f"{start} is after --end-date {end}: the range is empty", param_hint=first)


def _check_known(values: tuple[str, ...] | None, known, option: str) -> None:
    unknown = sorted(set(values or ()) - set(known))
    if unknown:
        raise typer.BadParameter(f"unknown: {', '.join(unknown)}; known: {', '.join(known)}", param_hint=option)


def _check_writable(path: Path, option: str, *, folder: bool = False) -> None:
    """A file or folder the command will write must be writable (or creatable), checked before any work starts."""
    target = path if path.exists() else next((p for p in path.parents if p.exists()), Path.cwd())
    if path.exists() and path.is_dir() != folder:
        raise typer.BadParameter(f"{path} is {'not ' if folder else ''}a folder", param_hint=option)
    if not target.is_dir() and target != path:
        raise typer.BadParameter(f"cannot create {path}: {target} is a file, not a folder", param_hint=option)
    if not os.access(target, os.W_OK):
        raise typer.BadParameter(f"cannot write {path}: {target} is not writable", param_hint=option)


Workers = Annotated[int, typer.Option("--workers", min=1, help="DuckDB threads for each set-based query.")]


class OutputFormat(enum.StrEnum):
    """What a command that prints a table can print instead: one JSON document on stdout (progress and logs go to
    stderr, so the document parses)."""

    text = "text"
    json = "json"


# The one --format option of every command that prints a table.
Format = Annotated[OutputFormat, typer.Option("--format", help="text (tables) or json (one document on stdout).")]


def emit_json(data) -> None:
    """Print `data` (dicts, lists, dataclasses; dates and paths as ISO text) as one JSON document on stdout."""
    print(json.dumps(data, indent=2, default=_json_value))


def _json_value(value):
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else str(value)


def _require_game_dates(run: RunContext, start: dt.date, end: dt.date, option: str = "--start-date") -> None:
    """An empty range (no game date between start and end) is a usage error, not a silent success."""
    if not run.calendar.dates_between(start, end):
        raise typer.BadParameter(f"no game dates between {start} and {end}", param_hint=option)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="Warehouse file (default: setting db, NBAPROPS_DB).")] = None,
    log_file: Annotated[
        Path | None, typer.Option("--log-file", help="Also write the log (INFO and up; DEBUG with -vv) to this file.")
    ] = None,
    verbose: Annotated[
        int,
        typer.Option("--verbose", "-v", count=True, show_default=False, help="More log on stderr: -v INFO, -vv DEBUG."),
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on the terminal; no progress.")] = False,
) -> None:
    if verbose and quiet:
        raise typer.BadParameter("give -v or -q, not both", param_hint="--quiet")
    if log_file is not None:
        _check_writable(log_file, "--log-file")
    handlers = configure_logging(verbosity=-1 if quiet else verbose, log_file=log_file)
    ctx.call_on_close(lambda: detach_logging(handlers))
    try:
        settings = get_settings(db=db)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        err_console.print(
            f"bad setting {where}: {first['msg']} (got {first.get('input')!r}; from nbaprops.toml or NBAPROPS_*)",
            style="red", markup=False,
        )  # fmt: skip
        raise typer.Exit(2) from None
    ctx.obj = {"settings": settings, "db": settings.db}


def open_run(ctx: typer.Context, *, read_only: bool = False, models_dir: Path | None = None) -> RunContext:
    """The command's run context: the settings in force (with this command's overrides) and its connection."""
    settings = ctx.find_root().obj["settings"]
    if models_dir is not None:
        settings = settings.model_copy(update={"models_dir": models_dir})
    return RunContext(settings, open_warehouse(ctx, read_only=read_only), read_only)


def open_warehouse(ctx: typer.Context, *, read_only: bool = False):
    """The command's warehouse connection, opened once per invocation (commands that call others, like `build`,
    share it) and closed when the command ends."""
    state = ctx.find_root().obj
    cached = state.get("con")
    if cached is not None and (read_only or not state["read_only"]):
        return cached
    db: Path = state["db"]
    if read_only and not db.exists():
        err_console.print(f"[red]no warehouse at {db}[/red]: run `nbaprops ingest archive` first")
        raise typer.Exit(2)
    if not read_only:
        _check_writable(db, "--db")
    if cached is not None:
        close(cached, db)
    try:
        con = connect(db, read_only=read_only)
    except (WarehouseLocked, WarehouseUnreadable) as exc:
        err_console.print(str(exc), style="red", markup=False)
        raise typer.Exit(3) from None
    state.update(con=con, read_only=read_only)
    ctx.find_root().call_on_close(lambda: close(con, db))
    return con


@ingest_app.command("archive")
def ingest_archive_cmd(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help="The archive folder (default: setting archive).")] = None,
    seasons: Annotated[str | None, typer.Option(help="Only these seasons, e.g. 2023-24,2024-25.")] = None,
    reload: Annotated[
        bool, typer.Option("--reload", help="Read and apply every file again, even those unchanged since last load.")
    ] = False,
    accept_shrink: Annotated[
        bool, typer.Option("--accept-shrink", help="Apply files that now yield fewer rows (recorded in the ledger).")
    ] = False,
    output: Format = OutputFormat.text,
) -> None:
    """Load every file of the archive corpus into the raw tables (idempotent). A file that now yields fewer rows
    than the version it replaces, or was only partly read, is not applied without --accept-shrink."""
    from nbaprops.raw.families import parse_seasons
    from nbaprops.raw.ingest import ingest_archive
    from nbaprops.reports.ingest import print_file_result, print_ingest_summary

    try:
        season_set = parse_seasons(seasons)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--seasons") from None
    path = path or ctx.find_root().obj["settings"].archive
    if not path.is_dir():
        raise typer.BadParameter(f"archive folder not found: {path}", param_hint="PATH")
    con = open_warehouse(ctx)
    as_json = output is OutputFormat.json
    try:
        summary = ingest_archive(
            con, path, season_set, force=reload, accept_shrink=accept_shrink,
            on_file=lambda r: print_file_result(err_console if as_json else console, r),
        )  # fmt: skip
    except FileNotFoundError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if as_json:
        emit_json({"failed": len(summary.failed), **dataclasses.asdict(summary)})
    else:
        print_ingest_summary(console, summary)
    if summary.failed:
        raise typer.Exit(1)


Refresh = Annotated[bool, typer.Option("--refresh", help="Refetch every payload of the range, even when cached.")]


def _live_settings(refresh: bool):
    """The live settings from the environment; a bad value is exit 2 and one line naming the variable."""
    from nbaprops.sources.settings import LiveSettings

    try:
        return LiveSettings.from_env(refresh=refresh)
    except ValueError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@ingest_app.command("live")
def ingest_live_cmd(
    ctx: typer.Context,
    date: Annotated[dt.date | None, date_option("--date", "One date (US Eastern).")] = None,
    start_date: Annotated[dt.date | None, date_option("--start-date", "First date of a range.")] = None,
    end_date: Annotated[dt.date | None, date_option("--end-date", "Last date of a range.")] = None,
    refresh: Refresh = False,
) -> None:
    """Fetch the live sources (NBA.com, The Odds API, the injury report) for a date or range into the raw tables."""
    from nbaprops.raw.live_ingest import ingest_live

    if (date is None) == (start_date is None):
        raise typer.BadParameter("give --date, or --start-date (and optionally --end-date)", param_hint="--date")
    start = date or start_date
    end = end_date or start
    _check_range(start, end, "--date" if date else "--start-date")
    settings = _live_settings(refresh)
    con = open_warehouse(ctx)
    summary = ingest_live(con, start, end, settings)
    for line in summary.describe():
        console.print(line, highlight=False, markup=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def build(
    ctx: typer.Context,
    archive: Annotated[Path | None, typer.Option(help="The archive folder (default: setting archive).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html.")] = Path("reports"),
) -> None:
    """The main job: ingest the archive corpus, backfill every derived table, write the HTML report, validate.
    Exits non-zero when a file cannot be read, a partition fails or a blocking check fails."""
    _check_writable(out, "--out", folder=True)
    ingest_archive_cmd(ctx, archive, seasons=None, reload=False, output=OutputFormat.text)
    backfill(ctx)
    with progress(err_console, "writing the HTML report"):
        report(ctx, out=out)
    validate(ctx)


def _split(value: str | None) -> tuple[str, ...] | None:
    return tuple(v.strip() for v in value.split(",") if v.strip()) if value else None


@app.command()
def backfill(
    ctx: typer.Context,
    start_date: Annotated[dt.date | None, date_option("--start-date", "First date (default: first game).")] = None,
    end_date: Annotated[dt.date | None, date_option("--end-date", "Last date (default: last game).")] = None,
    dates: Annotated[str | None, typer.Option("--dates", help="Explicit dates D1,D2,...")] = None,
    phases: Annotated[str | None, typer.Option("--phases", help="analytics,precompute,features")] = None,
    tables: Annotated[str | None, typer.Option("--tables", help="Only these tables (comma-separated).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    no_resume: Annotated[bool, typer.Option("--no-resume", help="Recompute every partition in range.")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Also recompute failed partitions.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Compute even when input gates fail (recorded).")] = False,
    workers: Workers = 2,
    include_bootstrap: Annotated[bool, typer.Option("--include-bootstrap", help="Compute bootstrap days too.")] = False,
    batch_days: Annotated[int, typer.Option("--batch-days", min=1, help="Game dates per SQL execution.")] = 400,
    newest_first: Annotated[bool, typer.Option("--newest-first", help="Compute recent dates first.")] = False,
    output: Format = OutputFormat.text,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (warehouse) or spark (Parquet lake).")] = "duckdb",
    spark_master: Annotated[str, typer.Option("--spark-master", help="Spark master (--engine spark).")] = "local[*]",
    lake_dir: Annotated[
        Path | None, typer.Option("--lake", help="Parquet lake from `nbaprops export` (--engine spark).")
    ] = None,
) -> None:
    """Rebuild derived tables for a date range: only what is missing, stale or failed, in DAG order, with gates.
    With --engine spark the SQL transforms run on Apache Spark over the lake (docs/scale-out.md)."""
    from nbaprops.pipeline.backfill import Backfill
    from nbaprops.pipeline.partitions import ReprocessMode
    from nbaprops.pipeline.planner import BackfillRequest
    from nbaprops.pipeline.registry import RegistryError, discover
    from nbaprops.pipeline.transform import PHASES
    from nbaprops.reports.backfill import ConsoleReporter, plan_rows, print_plan

    try:
        transforms = discover()
    except RegistryError as exc:
        err_console.print(f"[red]configuration error: {exc}[/red]")
        raise typer.Exit(2) from None
    _check_range(start_date, end_date)
    _check_known(_split(phases), PHASES, "--phases")
    _check_known(_split(tables), sorted(transforms), "--tables")
    _check_known((engine,), ("duckdb", "spark"), "--engine")
    if engine == "spark":
        if lake_dir is None or not lake_dir.is_dir():
            wanted = "a folder written by `nbaprops export`"
            got = "missing" if lake_dir is None else f"{lake_dir} is not a folder"
            raise typer.BadParameter(f"--engine spark reads {wanted}: {got}", param_hint="--lake")
        phases = phases or (None if tables else "analytics,precompute,features")  # SQL transforms only
    try:
        date_set = frozenset(_date(d) for d in _split(dates)) if dates else None
    except typer.BadParameter as exc:
        raise typer.BadParameter(exc.message, param_hint="--dates") from None
    run = open_run(ctx)
    run.con.execute(f"SET threads = {workers}")
    calendar = run.calendar
    if not calendar.game_dates:
        err_console.print("[red]no games loaded[/red]: run `nbaprops ingest archive` first")
        raise typer.Exit(2)
    start = start_date or (min(date_set) if date_set else calendar.game_dates[0])
    end = end_date or (max(date_set) if date_set else calendar.game_dates[-1])
    _check_range(start, end)
    if not date_set:
        _require_game_dates(run, start, end)
    mode = ReprocessMode.ALL if no_resume else (ReprocessMode.FAILED if retry_failed else ReprocessMode.MISSING)
    request = BackfillRequest(
        start, end, phases=_split(phases), tables=_split(tables), dates=date_set, mode=mode,
        include_bootstrap=include_bootstrap, newest_first=newest_first,
    )  # fmt: skip
    pipeline = Backfill(run, transforms)
    try:
        with progress(err_console, "planning (comparing input fingerprints)"):
            plan = pipeline.plan(request)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if dry_run and output is OutputFormat.json:
        emit_json({"partitions": plan.partitions, "tables": plan_rows(plan)})
    elif dry_run:
        print_plan(console, plan)
    if dry_run:
        return
    if engine == "spark":
        _backfill_on_spark(run, pipeline, plan, lake_dir, spark_master, batch_days, output)
        return
    reporter = ConsoleReporter(err_console)
    try:
        summary = pipeline.execute(
            plan, command="nbaprops " + " ".join(sys.argv[1:]), batch_days=batch_days, force=force, reporter=reporter
        )
    finally:
        reporter.close()
    _print_run(summary, output)
    if summary.failed:
        err_console.print(f"[red]{summary.failed} partition(s) failed[/red]: see above and `nbaprops status`")
        raise typer.Exit(1)


def _print_run(summary, output: OutputFormat) -> None:
    """A run's closing summary: the table, or the JSON document (with the failed partition count)."""
    from nbaprops.reports.backfill import print_run_summary

    if output is OutputFormat.json:
        emit_json({"failed": summary.failed, **dataclasses.asdict(summary)})
    else:
        print_run_summary(console, summary)


def _backfill_on_spark(run, pipeline, plan, lake_dir: Path, master: str, batch_days: int, output: OutputFormat) -> None:
    from nbaprops.pipeline.spark_engine import SparkEngine, spark_session

    try:
        engine = SparkEngine(run.con, spark_session(master), lake_dir)
        summary = engine.run(plan, pipeline.transforms, run.calendar, batch_days=batch_days, settings=run.settings)
    except (ValueError, FileNotFoundError) as exc:
        raise typer.BadParameter(str(exc)) from None
    _print_run(summary, output)
    if summary.failed:
        err_console.print(f"[red]{summary.failed} partition(s) failed[/red]: see above and `nbaprops status`")
        raise typer.Exit(1)


@app.command()
def export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Lake folder to write (tables must not exist in it yet).")],
    tables: Annotated[str | None, typer.Option("--tables", help="Only these tables (default: all).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="File format (parquet).")] = "parquet",
    start_date: Annotated[dt.date | None, date_option("--start-date", "First date (default: all).")] = None,
    end_date: Annotated[dt.date | None, date_option("--end-date", "Last date (default: all).")] = None,
) -> None:
    """Write tables as Hive-partitioned Parquet (season, date) with a manifest: how other tools and the Spark
    engine read nbaprops data."""
    from nbaprops.pipeline import lake

    _check_range(start_date, end_date)
    _check_known((fmt,), ("parquet",), "--format")
    _check_writable(out, "--out", folder=True)
    run = open_run(ctx, read_only=True)
    _check_known(_split(tables), lake.exportable_tables(run.con), "--tables")
    try:
        manifest = lake.export(run.con, out, _split(tables), start_date, end_date)
    except (ValueError, FileExistsError) as exc:
        raise typer.BadParameter(str(exc)) from None
    for name, entry in manifest["tables"].items():
        console.print(f"{name}: {entry['rows']} rows, {len(entry['partitions'])} partitions")
    console.print(f"wrote {out / lake.MANIFEST}")


@app.command("run-table")
def run_table_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Output table, e.g. analytics.player_game_summary.")],
    start_date: Annotated[dt.date, date_option("--start-date", "First date.")],
    end_date: Annotated[dt.date, date_option("--end-date", "Last date.")],
    output: Format = OutputFormat.text,
) -> None:
    """Recompute one table for a date range, through its gates and the ledger (its inputs are not recomputed: see
    `nbaprops backfill` for that)."""
    from nbaprops.pipeline.backfill import Backfill
    from nbaprops.pipeline.partitions import ReprocessMode
    from nbaprops.pipeline.planner import BackfillRequest
    from nbaprops.pipeline.registry import discover
    from nbaprops.reports.backfill import ConsoleReporter

    transforms = discover()
    if name not in transforms:
        raise typer.BadParameter(f"unknown table; known: {', '.join(sorted(transforms))}", param_hint="NAME")
    _check_range(start_date, end_date)
    run = open_run(ctx)
    _require_game_dates(run, start_date, end_date)
    pipeline = Backfill(run, transforms)
    with progress(err_console, f"planning {name}"):
        plan = pipeline.plan(BackfillRequest(start_date, end_date, tables=(name,), mode=ReprocessMode.ALL))
    if not plan.partitions:  # game dates, but none this table computes (its bootstrap days, say)
        raise typer.BadParameter(
            f"{name} has no partitions between {start_date} and {end_date} (bootstrap days are skipped)",
            param_hint="--start-date",
        )
    reporter = ConsoleReporter(err_console)
    try:
        summary = pipeline.execute(
            plan, command="nbaprops " + " ".join(sys.argv[1:]), batch_days=10_000, reporter=reporter
        )
    finally:
        reporter.close()
    outcome = summary.tables[0]
    if output is OutputFormat.json:
        emit_json({"run_id": summary.run_id, "status": summary.status, **dataclasses.asdict(outcome)})
    else:
        console.print(f"{name}: {outcome.rows:,} rows for {outcome.done} dates; {outcome.failed} failed")
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def status(
    ctx: typer.Context,
    plan: Annotated[
        bool, typer.Option("--plan", help="Also count stale and missing partitions (plans a full backfill: slow).")
    ] = False,
) -> None:
    """What the warehouse holds: raw tables, last ingests (live ones per source and day), derived partitions, runs."""
    from nbaprops.reports.status import print_status

    con = open_warehouse(ctx, read_only=True)
    print_status(console, con, plan=plan)


def _load_thresholds_or_exit(ctx: typer.Context, path: Path | None):
    """The --thresholds file, else the `thresholds` setting, merged over the packaged defaults."""
    from nbaprops.validation import ThresholdsError, load_thresholds

    try:
        return load_thresholds(path or ctx.find_root().obj["settings"].thresholds)
    except ThresholdsError as exc:
        err_console.print(f"[red]bad thresholds: {exc}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def validate(
    ctx: typer.Context,
    phase: Annotated[str | None, typer.Option("--phase", help="raw, analytics, precompute or features.")] = None,
    tables: Annotated[str | None, typer.Option("--tables", help="Only these tables (comma-separated).")] = None,
    start_date: Annotated[dt.date | None, date_option("--start-date", "First date (default: first game).")] = None,
    end_date: Annotated[dt.date | None, date_option("--end-date", "Last date (default: last game).")] = None,
    output: Format = OutputFormat.text,
    thresholds_file: Annotated[Path | None, typer.Option("--thresholds", help="YAML merged over the defaults.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show passing checks too.")] = False,
) -> None:
    """Is it complete? Every check on every table; exit 0 when no blocking check fails, 1 otherwise."""
    from nbaprops.audit import run_validation
    from nbaprops.pipeline.transform import PHASES
    from nbaprops.reports.validation import print_results, results_json

    _check_known((phase,) if phase else None, ("raw", *PHASES), "--phase")
    _check_range(start_date, end_date)
    thresholds = _load_thresholds_or_exit(ctx, thresholds_file)
    run = open_run(ctx, read_only=True)
    try:
        with progress(err_console, "validating (every check on every table)"):
            results = run_validation(
                run.con, phase=phase, tables=_split(tables), start=start_date, end=end_date, thresholds=thresholds,
                calendar=run.calendar,
            )  # fmt: skip
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from None
    if output is OutputFormat.json:
        print(results_json(results))
    else:
        print_results(console, results, verbose=verbose)
    if any(r.blocks for r in results):
        raise typer.Exit(1)


@app.command()
def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder for report.html.")] = Path("reports"),
    thresholds_file: Annotated[Path | None, typer.Option("--thresholds", help="YAML merged over the defaults.")] = None,
) -> None:
    """Write one self-contained HTML report: the model (latest stored backtest per market, the pick sheet),
    coverage heatmap, validation, recent runs, feature default rates. It reads what is stored: the validation
    checks without the point-in-time audit (it recomputes dates in copies: `nbaprops validate` runs it)."""
    from nbaprops.reports.html import render, write_report
    from nbaprops.validation import run_checks
    from nbaprops.validation.tables import table_specs

    _check_writable(out, "--out", folder=True)
    thresholds = _load_thresholds_or_exit(ctx, thresholds_file)
    specs = table_specs()
    run = open_run(ctx, read_only=True)
    with progress(err_console, "validating every table"):
        results = run_checks(run.con, thresholds=thresholds, calendar=run.calendar, specs=specs)
    with progress(err_console, "drawing the report"):
        tables = list(specs.values())
        html = render(run.con, specs=tables, results=results, thresholds=thresholds, calendar=run.calendar)
    console.print(f"report written to {write_report(html, out)}")


def _check_stored_season(con, season: str | None, table: str = "features.ml_feature_store") -> None:
    """A --season the table does not hold is a usage error naming the seasons it does (not an empty result)."""
    if season is None:
        return
    known = [s for (s,) in con.execute(f"SELECT DISTINCT season FROM {table} ORDER BY 1").fetchall()]
    if season not in known:
        raise typer.BadParameter(f"{table} holds no season {season}; known: {', '.join(known) or 'none'}",
                                 param_hint="--season")  # fmt: skip


@app.command("feature-defaults")
def feature_defaults_cmd(
    ctx: typer.Context,
    season: Annotated[str | None, typer.Option(help="Only this season, e.g. 2024-25.")] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="Split by this source column of the store (box_source, zones_source, availability_source, ...; "
            "a live-loaded box row is '<source> (live)'), or 'season' for seasons only.",
        ),
    ] = "box_source",
    feature: Annotated[list[str] | None, typer.Option("--feature", help="Only these features (repeatable).")] = None,
) -> None:
    """Share of rows where each feature is missing (NULL: its sources had nothing), per season and source."""
    from rich.table import Table

    from nbaprops.features.defaults import SOURCE_COLUMNS, missing_rates
    from nbaprops.features.ml_feature_store import FEATURES

    if by != "season" and by not in SOURCE_COLUMNS:
        raise typer.BadParameter(f"--by is season or one of {', '.join(SOURCE_COLUMNS)}")
    unknown = sorted(set(feature or ()) - set(FEATURES))
    if unknown:
        raise typer.BadParameter(f"unknown feature(s) {', '.join(unknown)}; `nbaprops feature-defaults` lists them")
    con = open_warehouse(ctx, read_only=True)
    _check_stored_season(con, season)
    table = Table(title="Missing feature values (features.ml_feature_store)")
    for col in ("season", by if by != "season" else "source", "feature", "rows", "missing"):
        table.add_column(col, justify="right" if col in ("rows", "missing") else "left")
    for row_season, source, name, rows, share in missing_rates(con, season, None if by == "season" else by):
        if feature and name not in feature:
            continue
        style = "red" if share > 0.2 else ("yellow" if share > 0.05 else "")
        shown = f"[{style}]{share:.1%}[/{style}]" if style else f"{share:.1%}"
        table.add_row(row_season, source, name, f"{rows:,}", shown)
    console.print(table)


# --- phase 5: models ------------------------------------------------------------------------------------------
ModelsDir = Annotated[Path | None, typer.Option("--models-dir", help="Model artifacts (default: beside the DB).")]
MarketName = Annotated[
    str, typer.Option("--market", help="points, pra, threes, rebounds or assists (features/markets.py).")
]


def _market(name: str):
    """The declared market called `name`; an unknown one is a usage error (exit 2) listing the known ones."""
    from nbaprops.features.markets import MARKETS

    _check_known((name,), tuple(MARKETS), "--market")
    return MARKETS[name]


def _run_tables(run: RunContext, tables: tuple[str, ...], start: dt.date, end: dt.date) -> None:
    """Bring the phase-5 tables up to date for [start, end] (missing or stale partitions, through gates and the
    ledger); exit 1 when a partition failed (the runner logs each failure at ERROR: on stderr even with -q)."""
    from nbaprops.pipeline.backfill import Backfill
    from nbaprops.pipeline.planner import BackfillRequest

    with progress(err_console, f"bringing {', '.join(tables)} up to date for {start}..{end}"):
        summary = Backfill(run).run_range(
            BackfillRequest(start, end, tables=tables), command="nbaprops " + " ".join(sys.argv[1:])
        )
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def train(
    ctx: typer.Context,
    train_end: Annotated[dt.date | None, date_option("--train-end", "Train on games before this date.")] = None,
    models_dir: ModelsDir = None,
    output: Format = OutputFormat.text,
    market_name: MarketName = "points",
) -> None:
    """Fit the LightGBM model of --market on every played feature row before --train-end (default today); save it."""
    from nbaprops.models.config import ModelConfig
    from nbaprops.models.frame import FeatureStoreMismatch, training_frame
    from nbaprops.models.gbm import fit_gbm
    from nbaprops.pipeline.settings import models_dir as resolve_models_dir

    market = _market(market_name)
    end = train_end or dt.date.today()
    run = open_run(ctx, read_only=True, models_dir=models_dir)
    try:
        with progress(err_console, f"training the {market.name} model on games before {end}"):
            model = fit_gbm(training_frame(run.con, end, market), end, ModelConfig().gbm)
    except (ValueError, FeatureStoreMismatch) as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    folder = model.save(resolve_models_dir(run.con, run.settings))
    meta = model.metadata
    if output is OutputFormat.json:
        emit_json({"version": model.version, "folder": folder, **meta})
        return
    console.print(
        f"trained {model.version} on {meta['rows']:,} rows ({meta['first_training_date']} to "
        f"{meta['last_training_date']}), in-sample MAE {meta['metrics']['in_sample']['mae']:.2f}: {folder}"
    )


@app.command()
def predict(
    ctx: typer.Context,
    date: Annotated[dt.date, date_option("--date", "Game date to predict.")],
    models_dir: ModelsDir = None,
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write the sheet to this file instead.")] = None,
    market_name: Annotated[
        str, typer.Option("--market", help="points, pra, threes, rebounds, assists, or all (every market).")
    ] = "all",
) -> None:
    """Bring predictions.player_prop_predictions up to date for --date and print that day's pick sheet (of
    --market, or of every market)."""
    from nbaprops.pipeline.daily import model_notes
    from nbaprops.reports.predictions import FORMATS, pick_sheet

    _check_known((output,), FORMATS, "--format")
    market = None if market_name == "all" else _market(market_name).name
    if out is not None:
        _check_writable(out, "--out")
    run = open_run(ctx, models_dir=models_dir)
    _run_tables(run, ("predictions.player_prop_predictions",), date, date)
    for note in model_notes(run, date, market):
        err_console.print(f"[yellow]{note}[/yellow]", highlight=False)
    _emit_sheet(date, pick_sheet(run.con, date, market), output, out)


def _emit_sheet(day: dt.date, rows: list[dict], output: str, out: Path | None) -> None:
    """The pick sheet on stdout, or in `out`."""
    from nbaprops.reports.predictions import print_sheet, sheet_text

    if output == "table" and out is None:
        print_sheet(console, day, rows)
        return
    text = sheet_text(day, rows, output)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")
    err_console.print(f"pick sheet for {day} ({len(rows)} rows) written to {out}", highlight=False)


@app.command()
def grade(
    ctx: typer.Context,
    start_date: Annotated[dt.date, date_option("--start-date", "First game date.")],
    end_date: Annotated[dt.date, date_option("--end-date", "Last game date.")],
    output: Format = OutputFormat.text,
) -> None:
    """Bring predictions.prediction_accuracy up to date for the range; counts by market and outcome."""
    _check_range(start_date, end_date)
    run = open_run(ctx)
    _require_game_dates(run, start_date, end_date)
    _run_tables(run, ("predictions.prediction_accuracy",), start_date, end_date)
    counts = run.con.execute(
        "SELECT market, outcome, count(*) FROM predictions.prediction_accuracy WHERE game_date BETWEEN ? AND ? "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        [start_date, end_date],
    ).fetchall()
    by_market: dict[str, dict[str, int]] = {}
    for market, outcome, n in counts:
        by_market.setdefault(market, {})[outcome] = n
    if output is OutputFormat.json:
        emit_json({"start_date": start_date, "end_date": end_date, "outcomes": by_market})
        return
    for market, outcomes in by_market.items():
        console.print(f"{market}: " + ", ".join(f"{k}: {v:,}" for k, v in outcomes.items()), highlight=False)
    if not by_market:
        console.print("nothing to grade in that range")


@app.command()
def backtest(
    ctx: typer.Context,
    start_date: Annotated[dt.date, date_option("--start-date", "First game date.")],
    end_date: Annotated[dt.date, date_option("--end-date", "Last game date.")],
    retrain: Annotated[str, typer.Option("--retrain", help="monthly or weekly.")] = "monthly",
    output: Format = OutputFormat.text,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the JSON report here (and the text as .txt).")
    ] = None,
    availability: Annotated[
        str,
        typer.Option(
            "--availability",
            help="live: only what a run before tip-off knows (injury report, else the team's last game); "
            "oracle: the archive's active lists of the game's date (an upper bound).",
        ),
    ] = "live",
    market_name: MarketName = "points",
) -> None:
    """Walk-forward backtest: train before each period, predict it; accuracy, calibration, hit rate and ROI. The
    result is stored in ops.backtests, where `nbaprops report` finds the latest one."""
    import json

    from nbaprops.models.backtest import run_backtest
    from nbaprops.models.frame import FeatureStoreMismatch
    from nbaprops.models.report import BACKTESTS, store_backtest

    if retrain not in ("monthly", "weekly") or availability not in ("live", "oracle"):
        raise typer.BadParameter("--retrain is monthly or weekly, --availability live or oracle")
    market = _market(market_name)
    _check_range(start_date, end_date)
    if out is not None:
        _check_writable(out, "--out")
    con = open_warehouse(ctx, read_only=True)
    start, end = start_date, end_date
    try:
        with progress(err_console, f"walk-forward {market.name} backtest {start}..{end} ({retrain} retraining, "
                      f"{availability})"):  # fmt: skip
            report = run_backtest(con, start, end, retrain=retrain, availability=availability, market=market)
    except (ValueError, FeatureStoreMismatch) as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    data = json.dumps(report.to_dict(), indent=2)
    if out:
        out.write_text(data + "\n", encoding="utf-8")
        out.with_suffix(".txt").write_text(report.to_text() + "\n", encoding="utf-8")
    print(data if output is OutputFormat.json else report.to_text())
    backtest_id = store_backtest(open_warehouse(ctx), report)  # after the output: a locked file loses nothing shown
    err_console.print(f"stored as backtest {backtest_id} in {BACKTESTS}: `nbaprops report` draws it", highlight=False)


class _LiveProgress:
    """A transient status line on stderr while the live sources are fetched: the source and date being fetched
    and the counts so far (on a terminal only; a log gets the summary lines)."""

    def __init__(self) -> None:
        self.payloads = self.failed = 0
        self.status = err_console.status("live sources") if err_console.is_terminal else None

    def __enter__(self) -> _LiveProgress:
        if self.status:
            self.status.start()
        return self

    def __exit__(self, *_exc) -> None:
        if self.status:
            self.status.stop()

    def fetching(self, source: str, when: str) -> None:
        if self.status:
            self.status.update(f"fetching {source} {when}  ({self.payloads} payloads, {self.failed} failed)")

    def fetched(self, _when: str, result) -> None:
        self.payloads += 1
        self.failed += result.status == "failed"


@app.command()
def daily(
    ctx: typer.Context,
    date: Annotated[dt.date | None, date_option("--date", "The day to predict (default: today, US Eastern).")] = None,
    models_dir: ModelsDir = None,
    refresh: Refresh = False,
) -> None:
    """Ingest yesterday's results and today's schedule, lines and injuries; backfill them, which predicts today
    and grades yesterday; print the grade and today's pick sheet. Exit 0 only when every source and partition
    succeeded (otherwise the run is `partial` or `failed` in ops.runs)."""
    import dataclasses

    from nbaprops.pipeline.daily import run_daily
    from nbaprops.raw.live_ingest import today_eastern
    from nbaprops.reports.backfill import ConsoleReporter, print_run_summary
    from nbaprops.reports.predictions import grade_line, pick_sheet

    day = date or today_eastern()
    live_settings = _live_settings(refresh)
    run = open_run(ctx, models_dir=models_dir)
    reporter = ConsoleReporter(console)
    try:
        with _LiveProgress() as progress:
            result = run_daily(
                run, day, live_settings=live_settings, reporter=reporter, on_fetch=progress.fetching,
                on_payload=progress.fetched,
            )  # fmt: skip
    finally:
        reporter.close()
    live = result.live
    rows = sum(p.rows_loaded for p in live.payloads)
    console.print(
        f"live sources {live.start}..{live.end}: {len(live.payloads)} payloads from "
        f"{len({p.source for p in live.payloads})} sources, {rows:,} rows loaded, {len(live.failed)} failed",
        highlight=False,
    )
    for line in live.failure_lines():
        err_console.print(f"failed: {line}", style="red", markup=False, highlight=False)
    for note in live.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    print_run_summary(console, dataclasses.replace(result.backfill, status=result.status))
    for note in result.notes:
        console.print(f"[yellow]{note}[/yellow]", soft_wrap=True, highlight=False)
    yesterday = day - dt.timedelta(days=1)
    console.print(grade_line(run.con, yesterday) or f"nothing graded for {yesterday}", highlight=False)
    _emit_sheet(day, pick_sheet(run.con, day), "table", None)
    if not result.succeeded:
        err_console.print(f"daily run {result.backfill.run_id}: {result.status}", style="red", highlight=False)
        raise typer.Exit(1)


@app.command()
def schema(
    ctx: typer.Context,
    table: Annotated[str | None, typer.Argument(help="schema.table; every table when omitted.")] = None,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """The data dictionary: every table with its rows and description, or TABLE's columns with type and
    description."""
    from nbaprops.reports.schema import columns_json, print_columns, print_tables, tables_json
    from nbaprops.warehouse.dictionary import UnknownTable, columns, tables

    if output not in ("text", "json"):
        raise typer.BadParameter("text or json", param_hint="--format")
    con = open_warehouse(ctx, read_only=True)
    if table is None:
        rows = tables(con)
        if output == "json":
            print(tables_json(rows))
        else:
            print_tables(console, rows)
        return
    try:
        described = columns(con, table)
    except UnknownTable as exc:
        raise typer.BadParameter(str(exc), param_hint="TABLE") from None
    if output == "json":
        print(columns_json(table, described))
    else:
        print_columns(console, table, described)


if __name__ == "__main__":
    app()
