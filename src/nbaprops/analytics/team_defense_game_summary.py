"""analytics.team_defense_game_summary: one row per team-game with what the team allowed - opponent totals,
possessions, defensive rating, zones against (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.team_defense_game_summary",
    phase="analytics",
    inputs=("analytics.team_offense_game_summary",),
    keys=("game_id", "team"),
    partition_column="game_date",
    lookback="same_date",
    description="Opponent totals, DRtg, opponent pace and zones allowed per team-game.",
)
