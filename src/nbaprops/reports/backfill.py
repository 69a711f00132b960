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
from nbaprops.reports.logs import quiet


def plan_rows(plan: Plan) -> list[dict]:
    """Per table of a plan: partitions expected, to compute, why (reason -> count) and the dates, compressed."""
    return [
        {
            "table": tp.transform.name,
            "expected": len(tp.expected),
            "to_compute": len(tp.work),
            "why": dict(Counter(str(r) for r in tp.work.values()).most_common()),
            "dates": compress_dates(tp.work, tp.expected) if tp.work else "",
        }
        for tp in plan.tables
    ]


def print_plan(console: Console, plan: Plan) -> None:
    table = Table(title=f"Plan: {plan.partitions:,} partitions (dry run, nothing written)")
    for col in ("table", "expected", "to compute", "why", "dates"):
        table.add_column(col)
    for row in plan_rows(plan):
        why = ", ".join(f"{n} {r}" for r, n in row["why"].items())
        table.add_row(row["table"], str(row["expected"]), str(row["to_compute"]), why, row["dates"])
    console.print(table)


class ConsoleReporter(Reporter):
    """Progress bars per table on a terminal; one line per batch otherwise; nothing under -q."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.quiet = quiet()
        self.progress: Progress | None = None
        self.task = None
        if console.is_terminal and not self.quiet:
            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=console,
            )  # fmt: skip
            self.progress.start()

    def table_started(self, table: str, partitions: int) -> None:
        if self.progress:
            self.task = self.progress.add_task(table, total=partitions)
        elif partitions and not self.quiet:
            self.console.print(f"{table}: {partitions} partitions to compute", highlight=False)

    def batch_done(self, table: str, dates: list[dt.date], rows: int) -> None:
        if self.progress:
            self.progress.advance(self.task, len(dates))
        elif not self.quiet:
            self.console.print(f"{table}: {dates[0]}..{dates[-1]} done, {rows:,} rows", highlight=False)

    def batch_failed(self, table: str, dates: list[dt.date], message: str) -> None:
        """The failure itself is logged by the runner (at ERROR: on the terminal even with -q, and in --log-file)."""
        if self.progress:
            self.progress.advance(self.task, len(dates))

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
