"""discover -> calendar -> plan -> execute, wired once. The commands, the daily run, the point-in-time audit, the
benchmarks and the tests all go through `Backfill`, so each runs with the run context's settings and calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from nbaprops.context import RunContext
from nbaprops.pipeline.dictionary import document
from nbaprops.pipeline.planner import BackfillRequest, Plan, build_plan
from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.runner import Reporter, RunSummary, execute_plan
from nbaprops.pipeline.transform import Transform


@dataclass
class Backfill:
    run: RunContext
    transforms: dict[str, Transform] = field(default_factory=discover)

    def plan(self, request: BackfillRequest) -> Plan:
        return build_plan(self.run.con, self.transforms, self.run.calendar, request, self.run.settings)

    def execute(
        self,
        plan: Plan,
        *,
        command: str,
        batch_days: int = 400,
        force: bool = False,
        reporter: Reporter | None = None,
        after_batch: Callable[[str, list[dt.date]], None] | None = None,
    ) -> RunSummary:
        if not self.run.read_only:
            document(self.run.con, self.transforms)  # raw tables, and tables this plan does not write
        return execute_plan(
            self.run.con, plan, self.transforms, self.run.calendar, command=command, batch_days=batch_days,
            force=force, reporter=reporter, after_batch=after_batch, settings=self.run.settings,
        )  # fmt: skip

    def run_range(self, request: BackfillRequest, *, command: str, **options) -> RunSummary:
        """Plan and execute `request` in one go."""
        return self.execute(self.plan(request), command=command, **options)

    def everything(self) -> BackfillRequest:
        """A request for every game date the calendar knows."""
        dates = self.run.calendar.game_dates
        return BackfillRequest(dates[0], dates[-1])
