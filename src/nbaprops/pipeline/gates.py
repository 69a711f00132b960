"""Gates: before a table runs on some dates, the derived tables it reads must pass the validation gate checks
(coverage, key uniqueness, critical null rates) for the dates it reads.

A failing gate stops that table (and so its dependents) for those dates with a message naming the input table, the
bad dates and the command that fixes them; other branches go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from nbaprops.calendar import SeasonCalendar, season_year_of
from nbaprops.pipeline.transform import Transform


@dataclass(frozen=True)
class GateFailure:
    input_table: str
    dates: tuple[dt.date, ...]
    problem: str
    fix: str

    def message(self) -> str:
        return f"gate: {self.input_table} {self.problem}; fix with: {self.fix}"


def needed_input_dates(
    transform: Transform, upstream: Transform, batch: list[dt.date], calendar: SeasonCalendar
) -> list[dt.date]:
    """Dates of `upstream` the batch reads: the same dates, or for a season-lookback transform every earlier
    expected date of the batch's seasons too (bootstrap-aware, played or scheduled as the upstream declares)."""
    first, last = min(batch), max(batch)
    start = calendar.season_start(season_year_of(first)) if transform.lookback == "season" else first
    start = min(start, first)
    candidates = calendar.dates_between(
        start, last, skip_bootstrap=upstream.bootstrap, played_only=upstream.dates == "played"
    )
    if transform.lookback == "same_date":
        batch_set = set(batch)
        return [d for d in candidates if d in batch_set]
    seasons = {season_year_of(d) for d in batch}
    return [d for d in candidates if season_year_of(d) in seasons]


def check_inputs(
    con: duckdb.DuckDBPyConnection,
    transform: Transform,
    batch: list[dt.date],
    transforms: dict[str, Transform],
    calendar: SeasonCalendar,
    thresholds=None,
) -> list[GateFailure]:
    """The validation gate checks (coverage, key uniqueness, critical null rates) of every derived input over the
    dates the batch reads; each blocking failure becomes a GateFailure."""
    from nbaprops.validation import gate_checks
    from nbaprops.validation.tables import TableSpec

    failures = []
    for name in transform.inputs:
        upstream = transforms.get(name)
        if upstream is None:
            continue
        needed = needed_input_dates(transform, upstream, batch, calendar)
        if not needed:
            continue
        results = gate_checks(
            con, name, needed, thresholds=thresholds, calendar=calendar, spec=TableSpec.from_transform(upstream)
        )
        for result in results:
            if result.blocks:
                bad = result.details.get("missing_dates", []) + result.details.get("failed_dates", [])
                dates = tuple(sorted(bad or result.details.get("dates", []) or needed))
                failures.append(GateFailure(name, dates, f"{result.name}: {result.message}", result.suggested_command))
    return failures
