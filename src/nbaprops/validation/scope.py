"""What one table's checks run over: the table, the game dates asked about, thresholds and calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.validation.result import Status
from nbaprops.validation.tables import TableSpec, table_columns
from nbaprops.validation.thresholds import Thresholds


@dataclass(frozen=True)
class Scope:
    con: duckdb.DuckDBPyConnection
    spec: TableSpec
    dates: tuple[dt.date, ...]  # candidate game dates (calendar dates in the range, or a gate's list)
    thresholds: Thresholds
    calendar: SeasonCalendar
    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        con: duckdb.DuckDBPyConnection,
        spec: TableSpec,
        dates: Iterable[dt.date],
        thresholds: Thresholds,
        calendar: SeasonCalendar,
    ) -> Scope:
        return cls(con, spec, tuple(sorted(set(dates))), thresholds, calendar, table_columns(con, spec.name))

    @property
    def table(self) -> str:
        return self.spec.name

    @property
    def exists(self) -> bool:
        return bool(self.columns)

    @property
    def pcol(self) -> str:
        return self.spec.partition_column

    @property
    def in_dates(self) -> str:
        """SQL predicate restricting rows to the scope's dates; bind `dates` with `params`."""
        return f"list_contains($dates, {self.pcol})"

    @property
    def params(self) -> dict[str, object]:
        return {"dates": list(self.dates)}

    @property
    def played(self) -> str:
        return self.thresholds.played_filter(self.table)

    @property
    def season_expr(self) -> str:
        return "season" if "season" in self.columns else f"season_label(season_year_of({self.pcol}))"

    @property
    def source_expr(self) -> str:
        return "source" if "source" in self.columns else "NULL::VARCHAR"


def verdict(ok: bool, blocking: bool) -> Status:
    """PASS when ok; otherwise FAIL for a blocking check and WARN for an advisory one."""
    if ok:
        return Status.PASS
    return Status.FAIL if blocking else Status.WARN
