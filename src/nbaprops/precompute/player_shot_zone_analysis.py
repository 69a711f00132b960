"""precompute.player_shot_zone_analysis: where each player shoots from, over his last 10 and 20 games
(SPEC section 5)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="precompute.player_shot_zone_analysis",
    phase="precompute",
    inputs=("analytics.upcoming_player_game_context", "analytics.player_game_summary", "raw.season_starts"),
    keys=("player_id", "analysis_date"),
    partition_column="analysis_date",
    bootstrap=True,
    lookback="season",
    dates="scheduled",
    description="Zone shares of FGA, zone FG%, attempts per game L10/L20 and the primary zone.",
)
