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
from nbaprops.models.player_prop_predictions import predicted_markets
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


def model_notes(run: RunContext, day: dt.date, market: str | None = None) -> list[str]:
    """What a reader of `day`'s predictions (of `market`, or of every market) should know about the models behind
    them: a market without a gbm model, and one not predicted at all because its features are not declared."""
    folder = models_dir(run.con, run.settings)
    ready, skipped = predicted_markets()
    notes = []
    for m in ready:
        if market not in (None, m.name):
            continue
        try:
            find_gbm(folder, day, m)
        except FileNotFoundError:
            notes.append(
                f"no {m.name} gbm model in {folder} trained before {day}: moving_average only "
                f"(run `nbaprops train --market {m.name}`)"
            )
    notes += [
        f"{name}: not predicted, the feature store does not declare {', '.join(missing)}"
        for name, missing in skipped.items()
        if market in (None, name)
    ]
    return notes


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
