"""features.ml_feature_store: one row per (player, game) of the player context with the v1 features of SPEC
section 5, the v2 role and recent-availability features and the v3 features of tonight's availability, the count of
defaulted features, and where each family came from."""

from nbaprops.pipeline.transform import declare

FEATURE_VERSION = 3

# Every feature, in model order (v1's 32, then v2's, then v3's). A feature whose source had nothing (a first game, an
# unknown zone profile) is filled with the default in the SQL's `defaulted` CTE and counted in default_feature_count /
# defaulted_features. quality_score divides by len(FEATURES), written as a literal in the SQL (a test ties them).
# Prop-line features are not defaulted: a missing line is `has_prop_line = false` and a NULL line, never a
# placeholder.
FEATURES: tuple[str, ...] = (
    "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
    "minutes_avg_last_10", "points_per_minute_last_10", "usage_rate_last_10", "ts_pct_last_10",
    "games_last_7_days", "days_rest", "back_to_back", "is_home",
    "fatigue_score", "shot_zone_mismatch_score", "pace_score", "usage_spike_score",
    "opponent_def_rating_last_15", "opponent_pace_last_15",
    "pct_paint", "pct_mid_range", "pct_three", "ft_share_of_points", "assisted_rate",
    "team_pace_last_10", "team_off_rating_last_10", "team_win_pct",
    "prop_line", "opening_line", "line_movement", "has_prop_line",
    "avg_points_vs_opponent", "games_played_season",
    # v2: role and availability (minutes are most of the remaining error)
    "points_last_game", "minutes_last_game", "started_last_game", "points_avg_last_3", "minutes_avg_last_3",
    "minutes_trend", "minutes_std_last_10", "starter_share_last_5", "starter_share_last_10",
    "fga_avg_last_10", "fta_avg_last_10", "team_games_missed_last_3", "team_games_missed_last_5",
    "played_last_team_game", "star_teammates_out", "teammate_minutes_out", "teammate_points_out",
    "teammate_minutes_back", "points_ewm", "minutes_ewm", "opponent_win_pct",
    "points_median_last_10", "points_median_season", "minutes_median_last_10",
    # v3
    "teammate_minutes_out_tonight", "teammate_points_out_tonight", "available_teammates", "projected_minutes",
    "points_share_available",
)  # fmt: skip

TRANSFORM = declare(
    __file__,
    name="features.ml_feature_store",
    phase="features",
    inputs=(
        "analytics.upcoming_player_game_context",
        "analytics.upcoming_team_game_context",
        "analytics.player_game_summary",
        "precompute.player_daily_cache",
        "precompute.player_shot_zone_analysis",
        "precompute.player_composite_factors",
        "precompute.team_defense_zone_analysis",
        "raw.season_starts",
    ),
    keys=("player_id", "game_id"),
    partition_column="game_date",
    bootstrap=True,
    lookback="same_date",
    dates="scheduled",
    description=(
        "Feature store v3 for player points: form, role, availability tonight, workload, matchup, pace, zones, lines."
    ),
)
