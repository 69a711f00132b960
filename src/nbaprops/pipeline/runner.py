"""The runner: execute a plan batch by batch, gate each batch on its inputs, record every partition and the run.

Each batch is one set-based SQL execution and one transaction (pipeline/writer.py), so an interrupted run leaves
whole batches done and the rest not: running again resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.failures import categorize, run_category
from nbaprops.pipeline.fingerprints import input_fingerprints, snapshot_raw_fingerprints
from nbaprops.pipeline.gates import check_inputs
from nbaprops.pipeline.partitions import contiguous_batches
from nbaprops.pipeline.planner import Plan
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.transform import Transform
from nbaprops.pipeline.writer import write_batch
from nbaprops.settings import Settings, get_settings
from nbaprops.validation.thresholds import load_thresholds
from nbaprops.warehouse import ledger

log = logging.getLogger("nbaprops.pipeline")


@dataclass
class TableOutcome:
    table: str
    done: int = 0
    failed: int = 0
    skipped: int = 0
    rows: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # one per failed partition


@dataclass
class RunSummary:
    run_id: int
    tables: list[TableOutcome]
    status: str
    forced_gates: bool = False

    @property
    def failed(self) -> int:
        return sum(t.failed for t in self.tables)


class Reporter:
    """Hooks for progress output; the CLI supplies a rich implementation."""

    def table_started(self, table: str, partitions: int) -> None: ...

    def batch_done(self, table: str, dates: list[dt.date], rows: int) -> None: ...

    def batch_failed(self, table: str, dates: list[dt.date], message: str) -> None: ...

    def table_finished(self, outcome: TableOutcome) -> None: ...


def _record_bootstrap_skips(con, transform: Transform, dates: list[dt.date], run_id: int) -> int:
    """Bootstrap days of a normal run are skipped: ledgered so, with no rows left behind (an earlier
    --include-bootstrap run may have written some)."""
    known = ledger.skipped_dates(con, transform.name)
    new = [d for d in dates if d not in known]
    if new:
        ledger.record_not_done(
            con, transform.name, new, state="skipped", reason="bootstrap", run_id=run_id,
            partition_column=transform.partition_column,
        )  # fmt: skip
    return len(new)


def _fail(con, transform: Transform, batch: list[dt.date], run_id: int, outcome: TableOutcome, reporter: Reporter,
          message: str, category: str, fingerprints: dict[dt.date, str]) -> None:  # fmt: skip
    """Record a batch's partitions as failed with the reason, category and the inputs it saw; count them, tell the
    reporter."""
    ledger.record_not_done(
        con, transform.name, batch, state="failed", reason=message, run_id=run_id, fingerprint=transform.fingerprint,
        category=category, input_fingerprints=fingerprints,
    )  # fmt: skip
    outcome.failed += len(batch)
    outcome.errors.append(message)
    outcome.categories.extend([category] * len(batch))
    log.error("%s: %s..%s failed: %s", transform.name, batch[0], batch[-1], message)
    reporter.batch_failed(transform.name, batch, message)


def execute_plan(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    transforms: dict[str, Transform],
    calendar: SeasonCalendar,
    *,
    command: str,
    batch_days: int,
    force: bool = False,
    reporter: Reporter | None = None,
    after_batch: Callable[[str, list[dt.date]], None] | None = None,
    settings: Settings | None = None,
) -> RunSummary:
    """Run every planned partition; failures are recorded and the run goes on with what does not depend on them.
    Whatever ends the run early (an unexpected error, Ctrl-C) closes it as failed with its category first."""
    run_id = ledger.start_run(con, command, plan.request.start, plan.request.end)
    log.info(
        "run %d started: %s (%s..%s, %d partitions)", run_id, command, plan.request.start, plan.request.end,
        plan.partitions,
    )  # fmt: skip
    try:
        outcomes = _run_tables(
            con, plan, transforms, calendar, run_id, batch_days=batch_days, force=force,
            reporter=reporter or Reporter(), after_batch=after_batch, settings=settings,
        )  # fmt: skip
    except BaseException as exc:
        _close_crashed_run(con, run_id, exc)
        raise
    failed = sum(o.failed for o in outcomes)
    done = sum(o.done for o in outcomes)
    status = "success" if not failed else ("partial" if done else "failed")
    ledger.finish_run(
        con, run_id, status=status, rows=sum(o.rows for o in outcomes),
        details={
            "forced_gates": force,
            "batch_days": batch_days,
            "tables": {o.table: {"done": o.done, "failed": o.failed, "skipped": o.skipped, "rows": o.rows,
                                 "seconds": o.seconds} for o in outcomes},
        },
        error="; ".join(e for o in outcomes for e in o.errors)[:2000] or None,
        failure_category=run_category(c for o in outcomes for c in o.categories),
    )  # fmt: skip
    log.info(
        "run %d ended %s: %d partitions done, %d failed, %d rows", run_id, status, done, failed,
        sum(o.rows for o in outcomes),
    )  # fmt: skip
    return RunSummary(run_id, outcomes, status, forced_gates=force)


def _close_crashed_run(con: duckdb.DuckDBPyConnection, run_id: int, exc: BaseException) -> None:
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")  # a batch may have been mid-transaction
    category = "unknown" if isinstance(exc, KeyboardInterrupt) else categorize(exc)
    message = f"{type(exc).__name__}: {exc}".splitlines()[0][:2000]
    log.error("run %d stopped (%s): %s", run_id, category, message)
    with contextlib.suppress(duckdb.Error):
        ledger.finish_run(con, run_id, status="failed", rows=0, details={}, error=message, failure_category=category)


def _run_tables(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    transforms: dict[str, Transform],
    calendar: SeasonCalendar,
    run_id: int,
    *,
    batch_days: int,
    force: bool,
    reporter: Reporter,
    after_batch: Callable[[str, list[dt.date]], None] | None,
    settings: Settings | None,
) -> list[TableOutcome]:
    request = plan.request
    snapshot_raw_fingerprints(con, transforms)
    # the SQL skips the bootstrap days the planner skipped: both come from the calendar
    parameters = {**run_parameters(con, calendar, settings), "include_bootstrap": request.include_bootstrap}
    thresholds = load_thresholds((settings or get_settings()).thresholds)
    verified: dict[str, set[dt.date]] = {}
    outcomes: list[TableOutcome] = []
    for table_plan in plan.tables:
        transform = table_plan.transform
        outcome = TableOutcome(transform.name)
        dates = sorted(table_plan.work, reverse=request.newest_first)
        reporter.table_started(transform.name, len(dates))
        started = time.perf_counter()
        batches = contiguous_batches(sorted(dates), table_plan.expected, batch_days)
        if request.newest_first:
            batches.reverse()
        for batch in batches:
            fingerprints: dict[dt.date, str] = {}
            try:
                fingerprints = input_fingerprints(con, transform, transforms, batch, parameters)
                failures = check_inputs(con, transform, batch, transforms, calendar, thresholds, verified)
                if failures and not force:
                    message = "; ".join(f.message() for f in failures)
                    _fail(con, transform, batch, run_id, outcome, reporter, message, "upstream", fingerprints)
                    continue
                result = write_batch(
                    con, transform, batch, run_id=run_id, settings=parameters, input_fingerprints=fingerprints,
                    forced=bool(failures),
                )  # fmt: skip
            except Exception as exc:  # any error fails this batch, recorded with its category; the run goes on
                category = categorize(exc)
                message = f"{category} error: {exc}".splitlines()[0]
                _fail(con, transform, batch, run_id, outcome, reporter, message, category, fingerprints)
                continue
            outcome.done += len(batch)
            outcome.rows += result.rows
            reporter.batch_done(transform.name, batch, result.rows)
            if after_batch:
                after_batch(transform.name, batch)
        # after the batches: creating the output table resets its ledger
        outcome.skipped = _record_bootstrap_skips(con, transform, table_plan.skipped_bootstrap, run_id)
        outcome.seconds = round(time.perf_counter() - started, 3)
        reporter.table_finished(outcome)
        outcomes.append(outcome)

    return outcomes
