"""The daily run: yesterday's results and today's schedule, lines and injuries from the live sources, a backfill of
the dates they touch, and today's predictions.

Each step is the same code the individual commands use (`ingest live`, `backfill`); predictions and grades are
tables of the DAG, so the backfill of yesterday and today writes today's predictions and grades yesterday's. The
backfill's run in ops.runs is the daily run's: a live source that failed makes it `partial` even when every
partition succeeded, so the run table and the exit code agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from nbaprops.context import RunContext
from nbaprops.models.gbm import find_gbm
from nbaprops.pipeline.backfill import Backfill
from nbaprops.pipeline.planner import BackfillRequest
from nbaprops.pipeline.runner import Reporter, RunSummary
from nbaprops.pipeline.settings import models_dir
from nbaprops.raw.live import PayloadResult
from nbaprops.raw.live_ingest import LiveSummary, ingest_live
from nbaprops.sources.settings import LiveSettings
from nbaprops.warehouse import ledger


@dataclass
class DailyResult:
    day: dt.date
    live: LiveSummary
    backfill: RunSummary
    status: str  # of the run in ops.runs: success, partial or failed
    notes: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.status == "success"


def model_notes(run: RunContext, day: dt.date) -> list[str]:
    """What a reader of `day`'s predictions should know about the models behind them."""
    folder = models_dir(run.con, run.settings)
    try:
        find_gbm(folder, day)
    except FileNotFoundError:
        return [f"no gbm model in {folder} trained before {day}: moving_average only (run `nbaprops train`)"]
    return []


def run_daily(
    run: RunContext,
    day: dt.date,
    *,
    live_settings: LiveSettings | None = None,
    reporter: Reporter | None = None,
    on_fetch: Callable[[str, str], None] | None = None,
    on_payload: Callable[[str, PayloadResult], None] | None = None,
) -> DailyResult:
    """Ingest `day - 1` (results) and `day` (schedule, lines, injuries), then backfill those dates: every derived
    table, today's predictions and yesterday's grades. `on_fetch` / `on_payload` report the live fetches."""
    yesterday = day - dt.timedelta(days=1)
    live = ingest_live(run.con, yesterday, day, live_settings, today=day, on_fetch=on_fetch, on_payload=on_payload)
    run.refresh_calendar()
    backfill = Backfill(run).run_range(
        BackfillRequest(yesterday, day), command=f"nbaprops daily --date {day}", reporter=reporter
    )
    status = backfill.status
    failures = live.failure_lines()
    if failures:
        ledger.mark_run_partial(run.con, backfill.run_id, "live sources failed: " + "; ".join(failures))
        status = "failed" if status == "failed" else "partial"
    return DailyResult(day, live, backfill, status, model_notes(run, day))
