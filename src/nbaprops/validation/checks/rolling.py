"""Spot checks of the phase-4 rolling windows: a sample of stored points and minutes averages recomputed from the
raw box scores by a separate path (one row per player-game, Basketball-Reference first; played = no DNP reason and
something in the box; strictly earlier dates of the same season) and compared within the tolerance."""

from __future__ import annotations

from nbaprops.validation.checks.spot import MINUTES, compare
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope

TABLE = "precompute.player_daily_cache"
COLUMNS = ("points_avg_last_10", "points_avg_season", "minutes_avg_last_10")


def rolling_spot_checks(scope: Scope) -> list[CheckResult]:
    if scope.table != TABLE or not set(COLUMNS) <= scope.columns.keys():
        return []
    settings = scope.thresholds.spot_checks
    cursor = scope.con.execute(
        f"""
        WITH s AS (
            SELECT * FROM (SELECT * FROM {TABLE} WHERE {scope.in_dates} AND games_played > 0)
            USING SAMPLE reservoir({settings.sample_size} ROWS) REPEATABLE (11)
        ), box AS (
            SELECT player_id, game_date, pts, {MINUTES.format(m="minutes")} AS mins,
                   player_status(dnp_reason) = 'active' AS played
            FROM raw.player_boxscores
            WHERE player_id IN (SELECT player_id FROM s)
            QUALIFY row_number() OVER (PARTITION BY game_id, player_id ORDER BY source <> 'bbref_box') = 1
        ), history AS (
            SELECT s.cache_date AS d, s.player_id, b.pts, b.mins,
                   row_number() OVER (PARTITION BY s.player_id, s.cache_date ORDER BY b.game_date DESC) AS games_ago
            FROM s JOIN box b ON b.player_id = s.player_id AND b.played AND b.game_date < s.cache_date
                 AND season_year_of(b.game_date) = season_year_of(s.cache_date)
        )
        SELECT s.cache_date AS d, NULL AS game_id, s.player_id,
               s.points_avg_last_10 AS stored_points_avg_last_10, s.points_avg_season AS stored_points_avg_season,
               s.minutes_avg_last_10 AS stored_minutes_avg_last_10,
               avg(h.pts) FILTER (WHERE h.games_ago <= 10) AS recomputed_points_avg_last_10,
               avg(h.pts) AS recomputed_points_avg_season,
               avg(h.mins) FILTER (WHERE h.games_ago <= 10) AS recomputed_minutes_avg_last_10
        FROM s LEFT JOIN history h ON h.player_id = s.player_id AND h.d = s.cache_date
        GROUP BY ALL
        """
    )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    return [compare(scope, column, rows, settings) for column in COLUMNS]
