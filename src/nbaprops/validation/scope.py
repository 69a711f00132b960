"""What one table's checks run over: the table, the game dates asked about, thresholds and calendar."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

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
    dates_table: str = ""  # a temp table holding `dates` (see `in_dates`)

    @classmethod
    def build(
        cls,
        con: duckdb.DuckDBPyConnection,
        spec: TableSpec,
        dates: Iterable[dt.date],
        thresholds: Thresholds,
        calendar: SeasonCalendar,
    ) -> Scope:
        chosen = tuple(sorted(set(dates)))
        return cls(con, spec, chosen, thresholds, calendar, table_columns(con, spec.name), dates_table(con, chosen))

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
        """SQL predicate restricting rows to the scope's dates (a semi-join on `dates_table`)."""
        return f"{self.pcol} IN (SELECT game_date FROM {self.dates_table})"

    @cached_property
    def rows_by_date(self) -> dict[dt.date, int]:
        """Rows per date in the scope, read once: coverage, its known gaps and the report's heatmap all ask."""
        if not self.exists:
            return {}
        sql = f"SELECT {self.pcol}, count(*) FROM {self.table} WHERE {self.in_dates} GROUP BY 1"
        return dict(self.con.execute(sql).fetchall())

    @property
    def played(self) -> str:
        return self.thresholds.played_filter(self.table)

    @property
    def season_expr(self) -> str:
        return "season" if "season" in self.columns else f"season_label(season_year_of({self.pcol}))"

    @property
    def source_expr(self) -> str:
        return "source" if "source" in self.columns else "NULL::VARCHAR"


def dates_table(con: duckdb.DuckDBPyConnection, dates: tuple[dt.date, ...]) -> str:
    """A temp table of `dates`, one per distinct set and connection. Why: `list_contains($dates, col)` compares
    every row with every date (0.2 s a query over a season list); a hash semi-join on a table takes 0.01 s, and a
    validation run asks a few hundred such queries."""
    digest = hashlib.sha1(",".join(map(str, dates)).encode()).hexdigest()[:16]
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS scope_dates_{digest} AS SELECT unnest(?::DATE[]) AS game_date", [list(dates)]
    )
    return f"temp.main.scope_dates_{digest}"


def verdict(ok: bool, blocking: bool) -> Status:
    """PASS when ok; otherwise FAIL for a blocking check and WARN for an advisory one."""
    if ok:
        return Status.PASS
    return Status.FAIL if blocking else Status.WARN
