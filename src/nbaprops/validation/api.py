"""The two entry points: `gate_checks` (what the orchestrator asks before building on an input) and `run_checks`
(every check; `nbaprops.audit.run_validation` adds the point-in-time audit, which drives the pipeline and so sits
above it). Both run the same check functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline.transform import PHASES
from nbaprops.validation.checks.completeness import completeness
from nbaprops.validation.checks.coverage import coverage
from nbaprops.validation.checks.cross_source import cross_source
from nbaprops.validation.checks.defaults import default_rates
from nbaprops.validation.checks.identity import identity
from nbaprops.validation.checks.keys import key_uniqueness
from nbaprops.validation.checks.nulls import null_rates
from nbaprops.validation.checks.ranges import value_ranges
from nbaprops.validation.checks.regression import regression
from nbaprops.validation.checks.rolling import rolling_spot_checks
from nbaprops.validation.checks.rowcount import row_counts
from nbaprops.validation.checks.spot import spot_checks
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope
from nbaprops.validation.tables import TableSpec, table_specs
from nbaprops.validation.thresholds import Thresholds, load_thresholds

Check = Callable[[Scope], list[CheckResult]]
GATE_CHECKS: tuple[Check, ...] = (coverage, key_uniqueness, null_rates, value_ranges, row_counts, default_rates)
ALL_CHECKS: tuple[Check, ...] = (
    *GATE_CHECKS, completeness, cross_source, spot_checks, rolling_spot_checks, regression, identity,
)  # fmt: skip


def load_calendar(con: duckdb.DuckDBPyConnection) -> SeasonCalendar:
    return SeasonCalendar.load(con)


def _run(scope: Scope, checks: Iterable[Check]) -> list[CheckResult]:
    return [result for check in checks for result in check(scope)]


def gate_checks(
    con: duckdb.DuckDBPyConnection,
    table: str,
    dates: list[dt.date],
    *,
    thresholds: Thresholds | None = None,
    calendar: SeasonCalendar | None = None,
    spec: TableSpec | None = None,
) -> list[CheckResult]:
    """Coverage (bootstrap-aware), key uniqueness, critical null rates, value ranges, row-count floors and default
    rates of one input table over `dates`. A gate passes when none of the results `blocks`."""
    if spec is None:
        specs = table_specs()
        if table not in specs:
            raise KeyError(f"{table} is neither a raw table nor a declared transform")
        spec = specs[table]
    scope = Scope.build(con, spec, dates, thresholds or load_thresholds(), calendar or load_calendar(con))
    return _run(scope, GATE_CHECKS)


def select_specs(specs: dict[str, TableSpec], phase: str | None, tables: Iterable[str] | None) -> list[TableSpec]:
    """The tables asked for: by name, by phase (raw, analytics, precompute, features, predictions), or all."""
    if phase is not None and phase not in ("raw", *PHASES, "predictions"):
        raise KeyError(f"unknown phase {phase!r}; phases: raw, {', '.join(PHASES)}, predictions")
    if tables:
        unknown = sorted(set(tables) - specs.keys())
        if unknown:
            raise KeyError(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(sorted(specs))}")
        return [specs[t] for t in tables]
    return [s for s in specs.values() if phase is None or s.phase == phase]


def run_checks(
    con: duckdb.DuckDBPyConnection,
    *,
    phase: str | None = None,
    tables: Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    thresholds: Thresholds | None = None,
    calendar: SeasonCalendar | None = None,
    specs: dict[str, TableSpec] | None = None,
    checks: tuple[Check, ...] = ALL_CHECKS,
) -> list[CheckResult]:
    """`checks` (default: every check) on every selected table over the calendar's game dates in [start, end]
    (default: all)."""
    thresholds = thresholds or load_thresholds()
    calendar = calendar or load_calendar(con)
    if not calendar.game_dates:
        return []
    dates = calendar.dates_between(start or calendar.game_dates[0], end or calendar.game_dates[-1])
    chosen = select_specs(specs if specs is not None else table_specs(), phase, tables)
    return [r for spec in chosen for r in _run(Scope.build(con, spec, dates, thresholds, calendar), checks)]
