"""Row counts: absolute floors of played rows per expected game on every date, and each season's rows per game
against the previous season's (per source where every source covers every game it has). A file that silently
shrank a season, or a date that lost half its players, fails here even when every date still has some rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nbaprops.calendar import season_label, season_year_of
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict

SHOWN = 10


def _counts(scope: Scope) -> list[tuple[dt.date, str, str | None, int, int]]:
    """(date, season, source, played rows, expected games of the date) for every date the table has rows."""
    sql = f"""
        WITH g AS (
            SELECT game_date, count(*) AS games FROM raw.games
            WHERE list_contains($types, game_type) AND game_date IN (SELECT game_date FROM {scope.dates_table})
            GROUP BY 1
        ), r AS (
            SELECT {scope.pcol} AS d, {scope.season_expr} AS season, {scope.source_expr} AS src,
                   count(*) FILTER (WHERE {scope.played}) AS n
            FROM {scope.table} WHERE {scope.in_dates} GROUP BY ALL
        )
        SELECT r.d, r.season, r.src, r.n, g.games FROM r JOIN g ON g.game_date = r.d ORDER BY r.d
    """
    return scope.con.execute(sql, {"types": list(scope.spec.game_types)}).fetchall()


def row_counts(scope: Scope) -> list[CheckResult]:
    settings = scope.thresholds.row_counts
    table = settings.tables.get(scope.table)
    if table is None or not scope.exists or not scope.dates:
        return []
    counts = _counts(scope)
    per_date: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    season_rows: dict[tuple[str, str | None], int] = defaultdict(int)
    season_dates: dict[tuple[str, str | None], dict[dt.date, int]] = defaultdict(dict)
    for d, season, src, n, games in counts:
        per_date[d] = [per_date[d][0] + n, games]
        key = (season, src if table.by_source else None)
        season_rows[key] += n
        season_dates[key][d] = games  # a source is judged on the games of the dates it covers
    per_season = {key: [season_rows[key], sum(season_dates[key].values())] for key in season_rows}
    low = {d: n / g for d, (n, g) in per_date.items() if g and n / g < table.min_rows_per_game}
    dates = sorted(low)
    floor_result = CheckResult(
        name="row_count",
        table=scope.table,
        status=verdict(not dates, settings.blocking),
        measured=float(len(dates)),
        threshold=table.min_rows_per_game,
        blocking=settings.blocking,
        message=f"{len(dates)} of {len(per_date)} dates below {table.min_rows_per_game:g} played rows per game"
        + (": " + ", ".join(f"{d} ({low[d]:.1f})" for d in dates[:SHOWN]) if dates else ""),
        details={"bad_dates": dates, "rows_per_game": {str(d): round(low[d], 2) for d in dates}},
        suggested_command=scope.spec.fix_command(dates, rebuild=True) if dates else "",
    )
    return [floor_result, _season_result(scope, per_season)]


def _season_result(scope: Scope, per_season: dict[tuple[str, str | None], list[int]]) -> CheckResult:
    """Each season's rows per game against the previous season's, like with like (same source)."""
    settings = scope.thresholds.row_counts
    rate = {key: n / g for key, (n, g) in per_season.items() if g}
    shrunk = []
    for (season, src), value in sorted(rate.items()):
        earlier = [(s, v) for (s, other), v in rate.items() if other == src and s < season]
        if earlier:
            previous, before = max(earlier)
            if value < settings.min_season_ratio * before:
                shrunk.append({"season": season, "source": src, "rows_per_game": round(value, 2),
                               "previous_season": previous, "previous_rows_per_game": round(before, 2)})  # fmt: skip
    seasons = sorted({s["season"] for s in shrunk})
    bad_dates = [d for d in scope.dates if season_label(season_year_of(d)) in seasons]
    return CheckResult(
        name="row_count:season",
        table=scope.table,
        status=verdict(not shrunk, settings.blocking),
        measured=float(len(shrunk)),
        threshold=settings.min_season_ratio,
        blocking=settings.blocking,
        message=f"{len(shrunk)} season(s) with rows per game below {settings.min_season_ratio:.0%} of the previous "
        "season's"
        + "".join(
            f"; {s['season']}{' [' + s['source'] + ']' if s['source'] else ''}: {s['rows_per_game']} vs "
            f"{s['previous_rows_per_game']} in {s['previous_season']}"
            for s in shrunk
        ),
        details={
            "shrunk": shrunk,
            "rows_per_game": {f"{s} {src or ''}".strip(): round(v, 2) for (s, src), v in rate.items()},
        },
        suggested_command=scope.spec.fix_command(bad_dates, rebuild=True) if shrunk else "",
    )
