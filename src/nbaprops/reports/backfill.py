"""Terminal output of a backfill: the plan (dry run), progress bars on a terminal or plain log lines otherwise,
and a closing summary table."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nbaprops.pipeline.partitions import compress_dates
from nbaprops.pipeline.planner import Plan
from nbaprops.pipeline.runner import Reporter, RunSummary, TableOutcome


def print_plan(console: Console, plan: Plan) -> None:
    table = Table(title=f"Plan: {plan.partitions:,} partitions (dry run, nothing written)")
    for col in ("table", "expected", "to compute", "why", "dates"):
        table.add_column(col)
    for tp in plan.tables:
        reasons = Counter(str(r) for r in tp.work.values())
        why = ", ".join(f"{n} {r}" for r, n in reasons.most_common())
        dates = compress_dates(tp.work, tp.expected) if tp.work else ""
        table.add_row(tp.transform.name, str(len(tp.expected)), str(len(tp.work)), why, dates)
    console.print(table)


class ConsoleReporter(Reporter):
    """Progress bars per table on a terminal; one log line per batch otherwise."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.task = None
        if console.is_terminal:
            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=console,
            )  # fmt: skip
            self.progress.start()

    def table_started(self, table: str, partitions: int) -> None:
        if self.progress:
            self.task = self.progress.add_task(table, total=partitions)
        elif partitions:
            self.console.print(f"{table}: {partitions} partitions to compute", highlight=False)

    def batch_done(self, table: str, dates: list[dt.date], rows: int) -> None:
        if self.progress:
            self.progress.advance(self.task, len(dates))
        else:
            self.console.print(f"{table}: {dates[0]}..{dates[-1]} done, {rows:,} rows", highlight=False)

    def batch_failed(self, table: str, dates: list[dt.date], message: str) -> None:
        if self.progress:
            self.progress.advance(self.task, len(dates))
        self.console.print(f"[red]{table}: {dates[0]}..{dates[-1]} failed[/red]: {message}", highlight=False)

    def table_finished(self, outcome: TableOutcome) -> None: ...

    def close(self) -> None:
        if self.progress:
            self.progress.stop()


def print_run_summary(console: Console, summary: RunSummary) -> None:
    table = Table(title=f"Run {summary.run_id}: {summary.status}")
    for col in ("table", "done", "failed", "skipped (bootstrap)", "rows", "seconds"):
        table.add_column(col, justify="right" if col != "table" else "left")
    for o in summary.tables:
        table.add_row(o.table, str(o.done), str(o.failed), str(o.skipped), f"{o.rows:,}", f"{o.seconds:.2f}")
    console.print(table)
    if summary.forced_gates:
        console.print("[yellow]--force: failing gates were overridden (recorded in ops.partitions.forced)[/yellow]")
    if not any(o.done or o.failed for o in summary.tables):
        console.print("Every partition in range is already done and fresh: nothing to compute.")
