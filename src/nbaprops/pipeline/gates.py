"""Gates: before a table runs on some dates, the derived tables it reads must be complete for the dates it reads.

A failing gate stops that table (and so its dependents) for those dates with a message naming the input table, the
bad dates and the command that fixes them; other branches go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from nbaprops.calendar import SeasonCalendar, season_year_of
from nbaprops.pipeline.partitions import compress_dates
from nbaprops.pipeline.transform import Transform


@dataclass(frozen=True)
class GateFailure:
    input_table: str
    dates: tuple[dt.date, ...]
    problem: str
    fix: str

    def message(self, all_dates: list[dt.date]) -> str:
        return (
            f"gate: {self.input_table} {self.problem} for {compress_dates(self.dates, all_dates)}; fix with: {self.fix}"
        )


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
) -> list[GateFailure]:
    """Coverage and key uniqueness of every derived input over the dates the batch reads."""
    failures = []
    for name in transform.inputs:
        upstream = transforms.get(name)
        if upstream is None:
            continue
        needed = needed_input_dates(transform, upstream, batch, calendar)
        if not needed:
            continue
        con.execute("CREATE OR REPLACE TEMP TABLE gate_dates (d DATE)")
        con.executemany("INSERT INTO gate_dates VALUES (?)", [(d,) for d in needed])
        # A date is covered when the ledger says done AND the table still has its rows (rows deleted behind the
        # ledger's back count as missing).
        missing = [
            r[0]
            for r in con.execute(
                f"""
                SELECT g.d FROM gate_dates g
                LEFT JOIN (SELECT partition_date, rows FROM ops.partitions WHERE table_name = ? AND state = 'done') p
                       ON p.partition_date = g.d
                LEFT JOIN (SELECT {upstream.partition_column} AS d, count(*) AS n FROM {name}
                           WHERE {upstream.partition_column} IN (SELECT d FROM gate_dates) GROUP BY 1) t
                       ON t.d = g.d
                WHERE p.partition_date IS NULL OR (p.rows > 0 AND coalesce(t.n, 0) = 0)
                ORDER BY g.d
                """,
                [name],
            ).fetchall()
        ]
        if missing:
            failures.append(GateFailure(name, tuple(missing), "is missing", _fix_command(name, missing)))
            continue
        keys = ", ".join(upstream.keys)
        dupes = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT {upstream.partition_column} FROM {name} "
                f"WHERE {upstream.partition_column} IN (SELECT d FROM gate_dates) "
                f"GROUP BY {upstream.partition_column}, {keys} HAVING count(*) > 1 ORDER BY 1"
            ).fetchall()
        ]
        if dupes:
            failures.append(
                GateFailure(name, tuple(dupes), f"has duplicate keys ({keys})", _fix_command(name, dupes, force=True))
            )
    return failures


def _fix_command(table: str, dates: list[dt.date], *, force: bool = False) -> str:
    span = f"--start-date {min(dates)} --end-date {max(dates)}"
    return f"nbaprops backfill --tables {table} {span}" + (" --force" if force else "")
