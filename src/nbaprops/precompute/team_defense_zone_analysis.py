"""precompute.team_defense_zone_analysis: each team's defense by shot zone over its last 15 games (SPEC section 5)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="precompute.team_defense_zone_analysis",
    phase="precompute",
    inputs=("analytics.upcoming_team_game_context", "analytics.team_defense_game_summary"),
    keys=("team", "analysis_date"),
    partition_column="analysis_date",
    bootstrap=True,
    lookback="season",
    dates="scheduled",
    description="FG% allowed, attempts and points allowed per game per zone vs the league, DRtg and pace L15.",
)
