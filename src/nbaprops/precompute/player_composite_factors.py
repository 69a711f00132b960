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
    columns={
        "fatigue_score": "0-100, 100 = fresh: minus back-to-backs, heavy minutes and games in 7 days, "
        "plus 3+ days of rest",
        "primary_zone_share": "share of his attempts in his primary zone over his last 10 games",
        "opponent_zone_vs_league": "opponent's FG% allowed in his primary zone minus the league's, in points",
        "shot_zone_mismatch_score": "-10..10: opponent_zone_vs_league x primary_zone_share (0 when balanced)",
        "expected_pace": "mean of both teams' pace over their last 10 games",
        "pace_score": "-3..3: (expected_pace - league_pace) / 2",
        "freed_usage": "usage above 20% of the team's stars out tonight, summed",
        "projected_usage": "usage_rate_last_10 scaled up by the freed usage (capped at 50)",
        "usage_rate_last_7": "his mean usage rate over his last 7 played games",
        "usage_spike_score": "-3..3: projected_usage minus usage_rate_last_7",
    },
    description="Fatigue (0-100, higher = fresher), zone mismatch (+-10), pace (+-3) and usage spike (+-3) scores.",
)
