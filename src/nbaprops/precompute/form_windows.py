"""A player's form windows over a set of his played games, declared once. precompute.player_daily_cache computes
them over his season before a date; features.early_season_features over the same season, his prior season and the
rookie prior (issue #19: the two used to restate each other, so a new stat is now written here only).

Each window is an aggregate over an evidence relation whose rows are played games with the columns pts, minutes,
started (1/0), usage_rate, fga, fta, ftm, fg3m, fg3a, reb, ast and a recency column (1 = the latest game); the
caller picks the column types (the early-season evidence passes minutes and usage as fixed_point, see macros.sql).
"""

from __future__ import annotations


def _last(n: int) -> str:
    return f"{{recent}} <= {n}"


def _per_minute(stat: str, n: int) -> str:
    """`stat` per minute over the last n games, minutes counted only where the stat is known (a window mixing box
    sources with and without splits would otherwise divide some games' attempts by every game's minutes)."""
    return (
        f"sum({stat}) FILTER (WHERE {_last(n)}) "
        f"/ nullif(sum(minutes) FILTER (WHERE {_last(n)} AND {stat} IS NOT NULL), 0)"
    )


def _form(prefix: str, stat: str, noun: str) -> dict[str, tuple[str, str]]:
    """Averages over the last 5, 10 and the season, and the spread over the last 10, of one box stat."""
    return {
        f"{prefix}_avg_last_5": (
            f"avg({stat}) FILTER (WHERE {_last(5)})",
            f"{noun} per game over his last 5 played games",
        ),
        f"{prefix}_avg_last_10": (
            f"avg({stat}) FILTER (WHERE {_last(10)})",
            f"{noun} per game over his last 10 played games",
        ),
        f"{prefix}_avg_season": (f"avg({stat})", f"{noun} per game over his played games of the evidence (season)"),
        f"{prefix}_std_last_10": (
            f"stddev_samp({stat}) FILTER (WHERE {_last(10)})",
            f"standard deviation of {noun} over his last 10 played games",
        ),
    }


# name -> (aggregate SQL with a {recent} placeholder, description). Names are precompute.player_daily_cache's
# columns; the feature store and the early-season rows map them to features (ft_share_of_points_last_10 is the
# feature ft_share_of_points).
WINDOWS: dict[str, tuple[str, str]] = {
    **_form("points", "pts", "points"),
    "minutes_avg_last_10": (
        f"avg(minutes) FILTER (WHERE {_last(10)})",
        "minutes per game over his last 10 played games",
    ),
    "points_per_minute_last_10": (
        f"sum(pts) FILTER (WHERE {_last(10)}) / nullif(sum(minutes) FILTER (WHERE {_last(10)}), 0)",
        "points per minute over his last 10 played games",
    ),
    "usage_rate_last_10": (
        f"avg(usage_rate) FILTER (WHERE {_last(10)})",
        "mean usage rate over his last 10 played games",
    ),
    # TS% over the window's totals, not the mean of per-game percentages
    "ts_pct_last_10": (
        f"sum(pts) FILTER (WHERE {_last(10)}) / nullif(2 * (sum(fga) FILTER (WHERE {_last(10)}) "
        f"+ 0.44 * sum(fta) FILTER (WHERE {_last(10)})), 0)",
        "true shooting percentage over his last 10 played games",
    ),
    "ft_share_of_points_last_10": (
        f"sum(ftm) FILTER (WHERE {_last(10)}) / nullif(sum(pts) FILTER (WHERE {_last(10)}), 0)",
        "share of his points from free throws over his last 10 played games",
    ),
    "points_avg_last_3": (f"avg(pts) FILTER (WHERE {_last(3)})", "points per game over his last 3 played games"),
    "minutes_avg_last_3": (f"avg(minutes) FILTER (WHERE {_last(3)})", "minutes per game over his last 3 played games"),
    "minutes_std_last_10": (
        f"stddev_samp(minutes) FILTER (WHERE {_last(10)})",
        "standard deviation of minutes over his last 10 played games",
    ),
    "starter_share_last_5": (f"avg(started) FILTER (WHERE {_last(5)})", "share of his last 5 played games he started"),
    "starter_share_last_10": (
        f"avg(started) FILTER (WHERE {_last(10)})",
        "share of his last 10 played games he started",
    ),
    "fga_avg_last_10": (
        f"avg(fga) FILTER (WHERE {_last(10)})",
        "field-goal attempts per game over his last 10 played games",
    ),
    "fta_avg_last_10": (
        f"avg(fta) FILTER (WHERE {_last(10)})",
        "free-throw attempts per game over his last 10 played games",
    ),
    # exponentially weighted, each earlier game weighing 0.8 of the next (over a prior, whose games all have
    # recency 1: its plain mean)
    "points_ewm": (
        "sum(pts * pow(0.8, {recent} - 1)) / sum(pow(0.8, {recent} - 1))",
        "exponentially weighted mean of points (weight 0.8 per game back)",
    ),
    "minutes_ewm": (
        "sum(minutes * pow(0.8, {recent} - 1)) / sum(pow(0.8, {recent} - 1))",
        "exponentially weighted mean of minutes (weight 0.8 per game back)",
    ),
    # medians: what an L1 model predicts, and robust to the one 40-point night
    "points_median_last_10": (f"median(pts) FILTER (WHERE {_last(10)})", "median points over his last 10 played games"),
    "points_median_season": ("median(pts)", "median points over his played games of the evidence (season)"),
    "minutes_median_last_10": (
        f"median(minutes) FILTER (WHERE {_last(10)})",
        "median minutes over his last 10 played games",
    ),
    # feature version 5: the markets threes, rebounds, assists and pra (issue #16). 3PM/3PA are NULL where the box
    # source has no splits (2025-26's archive game logs): the windows are NULL there, never 0.
    **_form("threes", "fg3m", "threes made"),
    "fg3a_avg_last_10": (
        f"avg(fg3a) FILTER (WHERE {_last(10)})",
        "three-point attempts per game over his last 10 played games",
    ),
    "fg3a_per_minute_last_10": (
        _per_minute("fg3a", 10),
        "three-point attempts per minute over his last 10 played games",
    ),
    "fg3m_season": ("sum(fg3m)", "threes made over his played games of the evidence (season; NULL without splits)"),
    "fg3a_season": (
        "sum(fg3a)",
        "three-point attempts over his played games of the evidence (season; NULL without splits)",
    ),
    **_form("rebounds", "reb", "rebounds"),
    "rebounds_per_minute_last_10": (_per_minute("reb", 10), "rebounds per minute over his last 10 played games"),
    **_form("assists", "ast", "assists"),
    "assists_per_minute_last_10": (_per_minute("ast", 10), "assists per minute over his last 10 played games"),
    **_form("pra", "pts + reb + ast", "points + rebounds + assists"),
}


# The league's 3P% for each scheduled date of the run (the target of fg3_pct_shrunk, macros.sql): made over attempted
# threes of every played player-game of the season before the date, or of the whole previous season while the
# season has none recorded (its opening night; 2025-26, whose archive game logs have no 3PM/3PA, until a live box
# score gives some). A CTE body, not a table macro: macros are created on every connection, before the analytics
# tables exist. Its readers declare the player summary's history read (the previous season).
LEAGUE_FG3_PCT = """
    SELECT d.game_date,
        coalesce(
            sum(x.fg3m) FILTER (WHERE x.season_year = d.season_year)
                / nullif(sum(x.fg3a) FILTER (WHERE x.season_year = d.season_year), 0),
            sum(x.fg3m) FILTER (WHERE x.season_year = d.season_year - 1)
                / nullif(sum(x.fg3a) FILTER (WHERE x.season_year = d.season_year - 1), 0)
        ) AS league_fg3_pct
    FROM (SELECT DISTINCT game_date, season_year FROM analytics.upcoming_team_game_context
          WHERE game_date BETWEEN $start_date AND $end_date) d
    JOIN (SELECT season_year, game_date, sum(fg3m) AS fg3m, sum(fg3a) AS fg3a
          FROM analytics.player_game_summary
          WHERE status = 'active' AND game_date < $end_date AND season_year >= season_year_of($start_date) - 1
          GROUP BY season_year, game_date) x
      ON x.season_year BETWEEN d.season_year - 1 AND d.season_year AND x.game_date < d.game_date
    GROUP BY d.game_date
"""


def form_windows(recent: str) -> str:
    """The SELECT list of every window over an evidence relation whose recency column is `recent`."""
    return ",\n        ".join(f"{sql.format(recent=recent)} AS {name}" for name, (sql, _) in WINDOWS.items())


def fill_markers(table: str, sql: str, fills: dict[str, str]) -> str:
    """`sql` with each `/* MARKER */` replaced by its fill; a marker the SQL lost is an error naming the table."""
    for marker, fill in fills.items():
        if marker not in sql:
            raise ValueError(f"{table}: the SQL lost its {marker} marker")
        sql = sql.replace(marker, fill)
    return sql


def window_descriptions() -> dict[str, str]:
    return {name: description for name, (_, description) in WINDOWS.items()}
