"""analytics.upcoming_team_game_context: one row per team and scheduled game (future ones included) with rest,
workload, form and the opponent's, all from before tip-off (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.upcoming_team_game_context",
    phase="analytics",
    inputs=("raw.games", "analytics.team_offense_game_summary"),
    keys=("game_id", "team"),
    partition_column="game_date",
    lookback="season",
    dates="scheduled",
    description="Pre-game team context: days rest, back-to-backs, workload, pace and ORtg L10, win pct.",
)
