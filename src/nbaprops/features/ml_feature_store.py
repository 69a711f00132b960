"""features.ml_feature_store: one row per (player, game) of the player context with the v1 features of SPEC
section 5, the v2 role and recent-availability features and the v3 features of tonight's availability.

Every feature is declared once below; the SQL file gives the source values and `feature_projection` derives the
final column list, the defaults, `default_feature_count`, `defaulted_features` and `quality_score` from the
declarations. The model reads `FEATURES` (the declared names, in order).
"""

from nbaprops.features.declaration import Feature, feature_projection
from nbaprops.pipeline.transform import declare

FEATURE_VERSION = 3

# Defaults are a bench player's typical line (10 points in 20 minutes), league-average rates and a rested, neutral
# matchup. A feature without a default is never replaced: a missing prop line stays NULL (has_prop_line says so).
DECLARATIONS: tuple[Feature, ...] = (
    # v1 (SPEC section 5)
    Feature("points_avg_last_5", "10.0"),
    Feature("points_avg_last_10", "10.0"),
    Feature("points_avg_season", "10.0"),
    Feature("points_std_last_10", "5.0"),
    Feature("minutes_avg_last_10", "20.0"),
    Feature("points_per_minute_last_10", "0.5"),
    Feature("usage_rate_last_10", "20.0"),
    Feature("ts_pct_last_10", "0.57"),
    Feature("games_last_7_days", source="coalesce(games_last_7_days, 0)", description="no game in 7 days is 0"),
    Feature("days_rest", "3"),
    Feature("back_to_back", source="coalesce(back_to_back, false)"),
    Feature("is_home"),
    Feature("fatigue_score", "100.0"),
    Feature("shot_zone_mismatch_score", "0.0"),
    Feature("pace_score", "0.0"),
    Feature("usage_spike_score", "0.0"),
    Feature("opponent_def_rating_last_15", "114.0"),
    Feature("opponent_pace_last_15", "99.0"),
    Feature("pct_paint", "0.40"),
    Feature("pct_mid_range", "0.20"),
    Feature("pct_three", "0.40"),
    Feature("ft_share_of_points", "0.17"),
    Feature("assisted_rate", "0.60"),
    Feature("team_pace_last_10", "99.0"),
    Feature("team_off_rating_last_10", "114.0"),
    Feature("team_win_pct", "0.5"),
    Feature("prop_line"),
    Feature("opening_line"),
    Feature("line_movement"),
    Feature("has_prop_line"),
    Feature("avg_points_vs_opponent", "coalesce(points_avg_season, 10.0)", description="any earlier season too"),
    Feature("games_played_season", source="coalesce(games_played_season, 0)"),
    # v2: role and availability (minutes are most of the remaining error)
    Feature("points_last_game", "10.0"),
    Feature("minutes_last_game", "20.0"),
    Feature("started_last_game", "0"),
    Feature("points_avg_last_3", "10.0"),
    Feature("minutes_avg_last_3", "20.0"),
    Feature("minutes_trend", "0.0"),
    Feature("minutes_std_last_10", "6.0"),
    Feature("starter_share_last_5", "0.0"),
    Feature("starter_share_last_10", "0.0"),
    Feature("fga_avg_last_10", "8.0"),
    Feature("fta_avg_last_10", "2.0"),
    Feature("team_games_missed_last_3", "0"),
    Feature("team_games_missed_last_5", "0"),
    Feature("played_last_team_game", "false"),
    Feature("star_teammates_out", "0"),
    Feature("teammate_minutes_out"),
    Feature("teammate_points_out"),
    Feature("teammate_minutes_back"),
    Feature("points_ewm", "10.0"),
    Feature("minutes_ewm", "20.0"),
    Feature("opponent_win_pct", "0.5"),
    Feature("points_median_last_10", "10.0"),
    Feature("points_median_season", "10.0"),
    Feature("minutes_median_last_10", "20.0"),
    # v3: tonight's availability; without recent minutes or points the share is a bench player's
    Feature("teammate_minutes_out_tonight"),
    Feature("teammate_points_out_tonight"),
    Feature("available_teammates"),
    Feature("projected_minutes", "20.0"),
    Feature("points_share_available", "0.08"),
)

FEATURES: tuple[str, ...] = tuple(f.name for f in DECLARATIONS)

IDENTITY_COLUMNS = (
    "game_id", "game_date", "season", "season_year", "game_type", "player_id", "player_name", "team", "opponent",
)  # fmt: skip
CONTEXT_COLUMNS = (
    "line_bookmaker", "form_source", "factors_source", "opponent_source", "zones_source", "line_source",
    "availability_source", "is_bootstrap",
)  # fmt: skip


def compose(inputs_sql: str) -> str:
    return feature_projection(
        inputs_sql, DECLARATIONS, version=FEATURE_VERSION, identity=IDENTITY_COLUMNS, context=CONTEXT_COLUMNS
    )


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
    reads=(("analytics.player_game_summary", "history"),),  # avg_points_vs_opponent: every earlier season too
    dates="scheduled",
    compose=compose,
    description=(
        "Feature store v3 for player points: form, role, availability tonight, workload, matchup, pace, zones, lines."
    ),
)
