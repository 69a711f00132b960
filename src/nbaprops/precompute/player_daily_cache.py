"""precompute.player_daily_cache: per player and date, the player's form and role before that date (SPEC section 5)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="precompute.player_daily_cache",
    phase="precompute",
    inputs=(
        "analytics.upcoming_player_game_context",
        "analytics.upcoming_team_game_context",
        "analytics.player_game_summary",
    ),
    keys=("player_id", "cache_date"),
    partition_column="cache_date",
    bootstrap=True,
    lookback="season",
    dates="scheduled",
    description="Points, minutes, role, usage and TS% windows over played games strictly before the date, same season.",
)
