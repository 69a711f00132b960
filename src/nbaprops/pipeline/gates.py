"""Gates: before a table runs on some dates, the derived tables it reads must pass the validation gate checks
(coverage, key uniqueness, critical null rates, value ranges, row-count floors, default rates) for the dates it
reads: a usage of 500% upstream stops its readers instead of flowing into their rolling averages.

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


WIDTH = {"same_date": 0, "season": 1, "history": 2}


def _wider(a: str, b: str) -> str:
    return a if WIDTH[a] >= WIDTH[b] else b


def upstream_lookbacks(transform: Transform, transforms: dict[str, Transform]) -> dict[str, str]:
    """Every derived table `transform` depends on, directly or not, with how far back it reaches into it: the
    widest read along any path (a season read of a same-date table that reads history reaches into history). A
    hole two layers down is a hole all the same."""
    reach: dict[str, str] = {}
    frontier = [(name, transform.lookback_of(name)) for name in transform.inputs]
    while frontier:
        name, lookback = frontier.pop()
        upstream = transforms.get(name)
        if upstream is None or (name in reach and _wider(reach[name], lookback) == reach[name]):
            continue
        reach[name] = _wider(reach.get(name, lookback), lookback)
        frontier.extend((parent, _wider(reach[name], upstream.lookback_of(parent))) for parent in upstream.inputs)
    return reach


def needed_input_dates(
    lookback: str, upstream: Transform, batch: list[dt.date], calendar: SeasonCalendar
) -> list[dt.date]:
    """Dates of `upstream` the batch reads: the same dates; for a season lookback every earlier expected date of
    the batch's seasons too; for history every earlier expected date (bootstrap-aware, played or scheduled as the
    upstream declares)."""
    first, last = min(batch), max(batch)
    if lookback == "history":
        start = calendar.game_dates[0] if calendar.game_dates else first
    elif lookback == "season":
        start = calendar.season_start(season_year_of(first))
    else:
        start = first
    start = min(start, first)
    candidates = calendar.dates_between(
        start, last, skip_bootstrap=upstream.bootstrap, played_only=upstream.dates == "played"
    )
    if lookback == "same_date":
        batch_set = set(batch)
        return [d for d in candidates if d in batch_set]
    if lookback == "history":
        return candidates
    seasons = {season_year_of(d) for d in batch}
    return [d for d in candidates if season_year_of(d) in seasons]


def check_inputs(
    con: duckdb.DuckDBPyConnection,
    transform: Transform,
    batch: list[dt.date],
    transforms: dict[str, Transform],
    calendar: SeasonCalendar,
    thresholds=None,
    verified: dict[str, set[dt.date]] | None = None,
) -> list[GateFailure]:
    """The validation gate checks (`validation.api.GATE_CHECKS`) of every derived table the batch depends on, over
    the dates it reads; each blocking failure becomes a GateFailure. `verified` remembers the dates of each input
    that passed earlier in the run (inputs are complete before their readers start), so a per-date run does not
    re-check a whole season per date."""
    verified = {} if verified is None else verified
    from nbaprops.validation import gate_checks
    from nbaprops.validation.tables import TableSpec

    failures = []
    for name, lookback in sorted(upstream_lookbacks(transform, transforms).items()):
        upstream = transforms[name]
        needed = [d for d in needed_input_dates(lookback, upstream, batch, calendar) if d not in verified.get(name, ())]
        if not needed:
            continue
        results = gate_checks(
            con, name, needed, thresholds=thresholds, calendar=calendar, spec=TableSpec.from_transform(upstream)
        )
        if not any(r.blocks for r in results):
            verified.setdefault(name, set()).update(needed)
        for result in results:
            if result.blocks:
                bad = (
                    result.details.get("missing_dates", [])
                    + result.details.get("failed_dates", [])
                    + result.details.get("bad_dates", [])
                )
                dates = tuple(sorted(set(bad) or result.details.get("dates", []) or needed))
                failures.append(GateFailure(name, dates, f"{result.name}: {result.message}", result.suggested_command))
    return failures
