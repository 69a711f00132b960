"""Two small transforms over the real raw tables, declared like the real ones, for orchestrator tests that must not
depend on the phase 3/4 formulas."""

from __future__ import annotations

from pathlib import Path

from nbaprops.pipeline.transform import Transform

TEAM_POINTS_SQL = """
SELECT game_id, game_date, team, pts
FROM raw.team_boxscores
WHERE source = 'nba_team_box' AND game_type = 'regular_season' AND game_date BETWEEN $start_date AND $end_date
"""

ROLLING_SQL = """
-- Each team's average points over its earlier games of the season (strictly before the date).
SELECT g.game_date, g.team, avg(h.pts) AS pts_avg_before, count(h.pts) AS games_before
FROM analytics.toy_team_points g
JOIN analytics.toy_team_points h
  ON h.team = g.team AND h.game_date < g.game_date AND season_year_of(h.game_date) = season_year_of(g.game_date)
WHERE g.game_date BETWEEN $start_date AND $end_date
GROUP BY ALL
"""


def toy_transforms(folder: Path, team_points_sql: str = TEAM_POINTS_SQL) -> dict[str, Transform]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "toy_team_points.sql").write_text(team_points_sql)
    (folder / "toy_rolling.sql").write_text(ROLLING_SQL)
    points = Transform(
        name="analytics.toy_team_points", phase="analytics", inputs=("raw.team_boxscores",),
        keys=("game_id", "team"), sql_file=folder / "toy_team_points.sql", lookback="same_date",
    )  # fmt: skip
    rolling = Transform(
        name="precompute.toy_rolling", phase="precompute", inputs=("analytics.toy_team_points",),
        keys=("team", "game_date"), sql_file=folder / "toy_rolling.sql", bootstrap=True, lookback="season",
    )  # fmt: skip
    return {points.name: points, rolling.name: rolling}
