"""The runner: execute a plan batch by batch, gate each batch on its inputs, record every partition and the run.

Each batch is one set-based SQL execution and one transaction (pipeline/writer.py), so an interrupted run leaves
whole batches done and the rest not: running again resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.fingerprints import input_fingerprints, snapshot_raw_fingerprints
from nbaprops.pipeline.gates import check_inputs
from nbaprops.pipeline.history import finish_run, start_run
from nbaprops.pipeline.partitions import contiguous_batches
from nbaprops.pipeline.planner import Plan
from nbaprops.pipeline.settings import pipeline_settings
from nbaprops.pipeline.transform import Transform
from nbaprops.pipeline.writer import write_batch
from nbaprops.validation.thresholds import load_thresholds


@dataclass
class TableOutcome:
    table: str
    done: int = 0
    failed: int = 0
    skipped: int = 0
    rows: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


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


def _record_partitions(
    con: duckdb.DuckDBPyConnection, table: str, dates: list[dt.date], *, state: str, reason: str, run_id: int,
    fingerprint: str | None = None,
) -> None:  # fmt: skip
    con.execute("BEGIN TRANSACTION")
    con.execute(
        "DELETE FROM ops.partitions WHERE table_name = ? AND partition_date IN (SELECT unnest(?::DATE[]))",
        [table, dates],
    )
    con.executemany(
        "INSERT INTO ops.partitions (table_name, partition_date, state, reason, rows, run_id, transform_fingerprint) "
        "VALUES (?, ?, ?, ?, 0, ?, ?)",
        [(table, d, state, reason, run_id, fingerprint) for d in dates],
    )
    con.execute("COMMIT")


def _record_bootstrap_skips(con, table: str, dates: list[dt.date], run_id: int) -> int:
    known = {
        r[0]
        for r in con.execute(
            "SELECT partition_date FROM ops.partitions WHERE table_name = ? AND state = 'skipped'", [table]
        ).fetchall()
    }
    new = [d for d in dates if d not in known]
    if new:
        _record_partitions(con, table, new, state="skipped", reason="bootstrap", run_id=run_id)
    return len(new)


def _fail(con, transform: Transform, batch: list[dt.date], run_id: int, outcome: TableOutcome, reporter: Reporter,
          message: str) -> None:  # fmt: skip
    """Record a batch's partitions as failed with the reason, count them, tell the reporter."""
    _record_partitions(
        con, transform.name, batch, state="failed", reason=message, run_id=run_id, fingerprint=transform.fingerprint
    )
    outcome.failed += len(batch)
    outcome.errors.append(message)
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
) -> RunSummary:
    """Run every planned partition; failures are recorded and the run goes on with what does not depend on them."""
    reporter = reporter or Reporter()
    request = plan.request
    run_id = start_run(con, command, request.start, request.end)
    snapshot_raw_fingerprints(con, transforms)
    settings = {**pipeline_settings(), "include_bootstrap": request.include_bootstrap}
    thresholds = load_thresholds()
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
            failures = check_inputs(con, transform, batch, transforms, calendar, thresholds, verified)
            if failures and not force:
                _fail(con, transform, batch, run_id, outcome, reporter, "; ".join(f.message() for f in failures))
                continue
            try:
                fingerprints = input_fingerprints(con, transform, transforms, batch)
                result = write_batch(
                    con, transform, batch, run_id=run_id, settings=settings, input_fingerprints=fingerprints,
                    forced=bool(failures),
                )  # fmt: skip
            except duckdb.Error as exc:
                _fail(con, transform, batch, run_id, outcome, reporter, f"processing error: {exc}".splitlines()[0])
                continue
            outcome.done += len(batch)
            outcome.rows += result.rows
            reporter.batch_done(transform.name, batch, result.rows)
            if after_batch:
                after_batch(transform.name, batch)
        # after the batches: creating the output table resets its ledger
        outcome.skipped = _record_bootstrap_skips(con, transform.name, table_plan.skipped_bootstrap, run_id)
        outcome.seconds = round(time.perf_counter() - started, 3)
        reporter.table_finished(outcome)
        outcomes.append(outcome)

    failed = sum(o.failed for o in outcomes)
    done = sum(o.done for o in outcomes)
    status = "success" if not failed else ("partial" if done else "failed")
    category = None
    if failed:
        category = "upstream" if all(e.startswith("gate:") for o in outcomes for e in o.errors) else "processing"
    finish_run(
        con, run_id, status=status, rows=sum(o.rows for o in outcomes),
        details={
            "forced_gates": force,
            "batch_days": batch_days,
            "tables": {o.table: {"done": o.done, "failed": o.failed, "skipped": o.skipped, "rows": o.rows,
                                 "seconds": o.seconds} for o in outcomes},
        },
        error="; ".join(e for o in outcomes for e in o.errors)[:2000] or None,
        failure_category=category,
    )  # fmt: skip
    return RunSummary(run_id, outcomes, status, forced_gates=force)
