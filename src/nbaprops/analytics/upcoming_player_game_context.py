"""analytics.upcoming_player_game_context: one row per rostered player and scheduled game (future ones included),
prop line or not, with rest, workload, recent scoring over played games, stars out, tonight's availability and the
line (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.upcoming_player_game_context",
    phase="analytics",
    inputs=(
        "analytics.upcoming_team_game_context",
        "analytics.player_game_summary",
        "raw.prop_lines",
        "raw.player_names",
        "raw.active_lists",
        "raw.injuries",
    ),
    keys=("game_id", "player_id"),
    partition_column="game_date",
    lookback="season",
    dates="scheduled",
    description=(
        "Pre-game player context: rest, workload, points L5/L10 over played games, stars out, availability tonight, "
        "prop line."
    ),
)
