"""precompute.player_composite_factors: fatigue, shot-zone mismatch, pace and usage-spike scores per player-game
(SPEC section 5). Signs: a higher fatigue score means FRESHER; positive mismatch, pace and usage-spike scores mean
more points expected. Every consumer uses these signs as stored."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="precompute.player_composite_factors",
    phase="precompute",
    inputs=(
        "analytics.upcoming_player_game_context",
        "precompute.player_daily_cache",
        "precompute.player_shot_zone_analysis",
        "precompute.team_defense_zone_analysis",
    ),
    keys=("player_id", "game_id"),
    partition_column="game_date",
    bootstrap=True,
    lookback="same_date",
    dates="scheduled",
    description="Fatigue (0-100, higher = fresher), zone mismatch (+-10), pace (+-3) and usage spike (+-3) scores.",
)
