"""Critical null rates, source-aware. A season whose only source never provides a column (2025-26: NBA.com slim
game logs have no FGA/FTA/OREB, so usage and zones are NULL) is a known gap: reported (info, never a warning) naming
season, columns and source. The same column going NULL in a season where a source that has it covers the rows fails,
naming the dates. Floors are judged per season, so a bad week is not diluted by other seasons, and per date, so a
whole date at 0% is not diluted by its season."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from nbaprops.validation.result import CheckResult, Status
from nbaprops.validation.scope import Scope, verdict
from nbaprops.validation.tables import table_columns

SHOWN_DATES = 10


@dataclass(frozen=True)
class _Cell:
    """Counts of one (date, season, row source) group."""

    day: dt.date
    season: str
    source: str | None
    rows: int
    non_null: dict[str, int]


def _cells(scope: Scope, columns: list[str]) -> list[_Cell]:
    counts = ", ".join(f"count({c})" for c in columns)
    sql = (
        f"SELECT {scope.pcol}, {scope.season_expr}, {scope.source_expr}, count(*), {counts} FROM {scope.table} "
        f"WHERE {scope.in_dates} AND {scope.played} GROUP BY ALL"
    )
    return [
        _Cell(d, season, source, n, dict(zip(columns, rest, strict=True)))
        for d, season, source, n, *rest in scope.con.execute(sql).fetchall()
    ]


class _Providers:
    """Which rows of a season can be held to a column: those whose row source has it or, for a column fed by
    another table (zones come from raw.shots), the rows of the dates that table covers (shots exist for regular
    seasons only: playoff dates are not held to zone columns)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._dates: dict[str, set[dt.date]] = {}

    def fed_dates(self, table: str) -> set[dt.date]:
        if table not in self._dates:
            present = bool(table_columns(self.scope.con, table))
            sql = f"SELECT DISTINCT game_date FROM {table}"
            self._dates[table] = {r[0] for r in self.scope.con.execute(sql).fetchall()} if present else set()
        return self._dates[table]

    def judged(self, column: str, cell: _Cell) -> bool:
        """Whether this cell's rows can be held to `column` (its feeder covers the date)."""
        feeder = self.scope.thresholds.column_sources.get(column)
        return feeder is None or cell.day in self.fed_dates(feeder)

    def of(self, column: str, season: str, sources: set, days: set[dt.date]) -> tuple[set, list[str]]:
        """(row sources judged, names of the missing providers when nothing provides the column)."""
        feeder = self.scope.thresholds.column_sources.get(column)
        if feeder is not None:
            return (set(sources), []) if days & self.fed_dates(feeder) else (set(), [feeder])
        providing = sources - self.scope.thresholds.lacking_sources(column)
        return providing, ([] if providing else sorted(s for s in sources if s))


def _judge(scope: Scope, column: str, floor: float, cells: list[_Cell], providers: _Providers) -> CheckResult:
    """Per season against the floor (a failing season names its dates below the floor) and per date against
    per_date_factor x floor (a whole date at 0% fails even when its season passes)."""
    seasons: dict[str, set] = defaultdict(set)
    for cell in cells:
        seasons[cell.season].add(cell.source)
    date_floor = floor * scope.thresholds.null_rates.per_date_factor
    totals = [0, 0]
    failing_seasons, bad_dates = [], {}
    for season, sources in sorted(seasons.items()):
        days = {c.day for c in cells if c.season == season}
        judged, _ = providers.of(column, season, sources, days)
        chosen = [c for c in cells if c.season == season and c.source in judged and providers.judged(column, c)]
        per_date: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
        for c in chosen:
            per_date[c.day][0] += c.rows
            per_date[c.day][1] += c.non_null[column]
        rows, non_null = sum(n for n, _ in per_date.values()), sum(nn for _, nn in per_date.values())
        totals[0] += rows
        totals[1] += non_null
        season_fails = bool(rows) and non_null / rows < floor
        if season_fails:
            failing_seasons.append(season)
        bar = floor if season_fails else date_floor
        bad_dates.update({d: nn / n for d, (n, nn) in per_date.items() if n and nn / n < bar})
    share = totals[1] / totals[0] if totals[0] else 1.0
    blocking = scope.thresholds.null_rates.blocking
    dates = sorted(bad_dates)
    message = (
        f"{column}: {share:.2%} non-NULL where its sources provide it (floor {floor:.1%} per season, "
        f"{date_floor:.1%} per date)"
    )
    if failing_seasons:
        message += f"; below the floor in {', '.join(failing_seasons)}"
    if dates:
        shown = ", ".join(f"{d} ({bad_dates[d]:.0%})" for d in dates[:SHOWN_DATES])
        message += f"; {len(dates)} dates below: {shown}" + (" ..." if len(dates) > SHOWN_DATES else "")
    return CheckResult(
        name=f"null_rate:{column}",
        table=scope.table,
        status=verdict(not dates and not failing_seasons, blocking),
        measured=share,
        threshold=floor,
        blocking=blocking,
        message=message,
        details={
            "column": column,
            "failing_seasons": failing_seasons,
            "bad_dates": dates,
            "bad_date_shares": {str(d): round(bad_dates[d], 4) for d in dates},
        },
        suggested_command=scope.spec.fix_command(dates, rebuild=True) if dates else "",
    )


def _gaps(columns: list[str], cells: list[_Cell], providers: _Providers) -> list[dict]:
    """(season, missing providers) -> the columns they leave NULL."""
    seasons: dict[str, set] = defaultdict(set)
    for cell in cells:
        seasons[cell.season].add(cell.source)
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for season, sources in sorted(seasons.items()):
        days = {c.day for c in cells if c.season == season}
        for column in columns:
            judged, missing = providers.of(column, season, sources, days)
            nulls = sum(c.rows - c.non_null[column] for c in cells if c.season == season)
            if not judged and nulls:
                grouped[(season, tuple(missing))].append(column)
    return [{"season": s, "sources": list(src), "columns": cols} for (s, src), cols in grouped.items()]


def null_rates(scope: Scope) -> list[CheckResult]:
    floors = scope.thresholds.critical_floors(scope.table, scope.columns)
    if not scope.exists or not floors:
        return []
    t = scope.thresholds
    lacked = {c for s in t.sources.values() for c in s.lacks} | set(t.column_sources)
    columns = list(floors) + sorted(c for c in lacked if c in scope.columns and c not in floors)
    cells = _cells(scope, columns)
    providers = _Providers(scope)
    results = [_judge(scope, column, floor, cells, providers) for column, floor in floors.items()]
    gaps = _gaps(columns, cells, providers)
    if gaps:
        message = "; ".join(
            f"{g['season']}: {', '.join(g['columns'])} NULL because its only source "
            f"{', '.join(g['sources'])} does not provide them"
            for g in gaps
        )
        results.append(
            CheckResult(
                name="null_rate:source_gaps",
                table=scope.table,
                status=Status.PASS,
                measured=float(sum(len(g["columns"]) for g in gaps)),
                threshold=None,
                blocking=False,
                message=f"known gap: {message}",
                details={"gaps": gaps, "known_gaps": gaps},
            )
        )
    return results
