"""The planner: which (table, date) partitions a backfill computes, and why.

Tables are visited in the DAG's order. A table's expected dates come from the calendar (played or scheduled game
dates in the range, minus bootstrap days where it applies). A date is planned when it is missing, stale (other
transform fingerprint, or changed inputs), failed (per reprocess mode) or forced - and every downstream date that
reads a planned date is planned too, so a dry run already shows the whole consequence of a change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.fingerprints import input_fingerprints, snapshot_raw_fingerprints
from nbaprops.pipeline.partitions import (
    PartitionRecord,
    Reason,
    ReprocessMode,
    affected_downstream,
    expected_dates,
    partition_reason,
)
from nbaprops.pipeline.registry import topological_order
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.transform import Transform
from nbaprops.settings import Settings
from nbaprops.warehouse import ledger


@dataclass(frozen=True)
class BackfillRequest:
    start: dt.date
    end: dt.date
    phases: tuple[str, ...] | None = None
    tables: tuple[str, ...] | None = None
    dates: frozenset[dt.date] | None = None
    mode: ReprocessMode = ReprocessMode.MISSING
    include_bootstrap: bool = False
    newest_first: bool = False


@dataclass
class TablePlan:
    transform: Transform
    expected: list[dt.date]
    work: dict[dt.date, Reason] = field(default_factory=dict)
    skipped_bootstrap: list[dt.date] = field(default_factory=list)


@dataclass
class Plan:
    request: BackfillRequest
    tables: list[TablePlan]

    @property
    def partitions(self) -> int:
        return sum(len(t.work) for t in self.tables)


def select_tables(transforms: dict[str, Transform], request: BackfillRequest) -> list[str]:
    """The tables a request covers, in DAG order; unknown names are errors."""
    order = topological_order(transforms)
    if request.tables:
        unknown = sorted(set(request.tables) - transforms.keys())
        if unknown:
            raise ValueError(f"unknown table(s): {', '.join(unknown)}; known: {', '.join(order)}")
    return [
        name
        for name in order
        if (request.tables is None or name in request.tables)
        and (request.phases is None or transforms[name].phase in request.phases)
    ]


def _records(con: duckdb.DuckDBPyConnection, transform: Transform) -> dict[dt.date, PartitionRecord]:
    """The ledger's partitions of a table, with the rows the table holds now for each date."""
    present: dict[dt.date, int] = {}
    if ledger.table_exists(con, transform.name):
        pcol = transform.partition_column
        present = dict(con.execute(f"SELECT {pcol}, count(*) FROM {transform.name} GROUP BY 1").fetchall())
    return {
        d: PartitionRecord(state, tf, inp, rows, present.get(d, 0))
        for d, (state, tf, inp, rows) in ledger.partition_records(con, transform.name).items()
    }


def table_dates(transform: Transform, calendar: SeasonCalendar, request: BackfillRequest) -> tuple[list, list]:
    """(expected dates, bootstrap dates skipped) of one table for a request."""
    in_range = calendar.dates_between(request.start, request.end, played_only=transform.dates == "played")
    skip = transform.bootstrap and not request.include_bootstrap
    expected = expected_dates(in_range, is_bootstrap=calendar.is_bootstrap, skip_bootstrap=skip, only=request.dates)
    skipped = [d for d in in_range if skip and calendar.is_bootstrap(d) and (not request.dates or d in request.dates)]
    return expected, skipped


def build_plan(
    con: duckdb.DuckDBPyConnection,
    transforms: dict[str, Transform],
    calendar: SeasonCalendar,
    request: BackfillRequest,
    settings: Settings | None = None,
) -> Plan:
    plans: dict[str, TablePlan] = {}
    snapshot_raw_fingerprints(con, transforms)
    parameters = run_parameters(con, calendar, settings)
    for name in select_tables(transforms, request):
        transform = transforms[name]
        expected, skipped = table_dates(transform, calendar, request)
        plan = TablePlan(transform, expected, skipped_bootstrap=skipped)
        records = _records(con, transform)
        fingerprints = input_fingerprints(con, transform, transforms, expected, parameters)
        for d in expected:
            reason = partition_reason(
                records.get(d),
                transform_fingerprint=transform.fingerprint,
                input_fingerprint=fingerprints.get(d),
                mode=request.mode,
            )
            if reason:
                plan.work[d] = reason
        for upstream in transform.inputs:
            if upstream in plans:
                for d in affected_downstream(plans[upstream].work, expected, lookback=transform.lookback_of(upstream)):
                    plan.work.setdefault(d, Reason.UPSTREAM)
        plans[name] = plan
    return Plan(request, list(plans.values()))
