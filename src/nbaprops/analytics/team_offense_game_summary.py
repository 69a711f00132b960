"""analytics.team_offense_game_summary: one row per team-game with totals, possessions, pace, offensive rating,
shot zones and whether the team's totals equal the sum of its players (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.team_offense_game_summary",
    phase="analytics",
    inputs=("raw.team_boxscores", "raw.linescores", "analytics.player_game_summary"),
    keys=("game_id", "team"),
    partition_column="game_date",
    lookback="same_date",
    description="Team box scores with possessions, pace, ORtg, TS%, zones and the players-add-up check.",
)
