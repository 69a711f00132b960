"""analytics.player_game_summary: one row per player-game with minutes, status, shooting, usage, zones and the
points line, from Basketball-Reference box scores with the NBA.com game log as fallback (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.player_game_summary",
    phase="analytics",
    inputs=("raw.player_boxscores", "raw.team_boxscores", "raw.shots", "raw.prop_lines", "raw.player_names"),
    keys=("game_id", "player_id"),
    partition_column="game_date",
    lookback="same_date",
    description="Player box scores with parsed minutes, DNP status, eFG%/TS%/usage, shot zones and prop results.",
)
