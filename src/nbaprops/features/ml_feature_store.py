"""features.ml_feature_store: one row per (player, game) of the player context with the v1 features of SPEC
section 5, the v2 role and recent-availability features and the v3 features of tonight's availability (v4: no
made-up defaults; NULL where the sources have nothing, as when serving; v5: the threes, rebounds, assists and PRA
markets' features, each tagged with the markets whose model reads it).

Every feature is declared once below; the SQL file gives the source values and `feature_projection` derives the
final column list, `default_feature_count` / `defaulted_features` (the features that are missing, NULL, in the row)
and `quality_score` from the declarations. The model reads `FEATURES` (the declared names, in order).
"""

from nbaprops.features.declaration import Feature, feature_projection
from nbaprops.pipeline.transform import declare
from nbaprops.precompute.form_windows import LEAGUE_FG3_PCT, fill_markers

TRANSFORM_NAME = "features.ml_feature_store"

FEATURE_VERSION = 5

# Every value is computed from games strictly before the game's date (same season unless said). A feature whose
# source has nothing (a first game of the season, a season whose box scores have no shooting splits or shots) is
# NULL and counted in default_feature_count: LightGBM learns a branch for missing, and serving sees the same NULL.
# Only a true fact fills a NULL: no game in the last 7 days is 0 games (the source expression says so).
THREES = ("threes",)
REB = ("rebounds", "pra")
AST = ("assists", "pra")
PRA = ("pra",)


def form_features(stat: str, label: str, markets: tuple[str, ...]) -> tuple[Feature, ...]:
    """A market's form columns (`Market.form`: averages over the last 5, the last 10 and the season, and the last-10
    spread) of one stat, from player_daily_cache."""
    return (
        Feature(f"{stat}_avg_last_5", f"Mean {label} over the last 5 played games (player_daily_cache).",
                markets=markets),
        Feature(f"{stat}_avg_last_10", f"Mean {label} over the last 10 played games (player_daily_cache).",
                markets=markets),
        Feature(f"{stat}_avg_season",
                f"Mean {label} over the season's played games before the date (player_daily_cache).", markets=markets),
        Feature(f"{stat}_std_last_10",
                f"Standard deviation of {label} over the last 10 played games (player_daily_cache).", markets=markets),
    )  # fmt: skip


DECLARATIONS: tuple[Feature, ...] = (
    # v1 (SPEC section 5)
    Feature("points_avg_last_5", "Mean points over the player's last 5 played games this season (player_daily_cache)."),
    Feature("points_avg_last_10", "Mean points over the last 10 played games this season (player_daily_cache)."),
    Feature(
        "points_avg_season", "Mean points over every played game this season before the date (player_daily_cache)."
    ),
    Feature("points_std_last_10", "Standard deviation of points over the last 10 played games (player_daily_cache)."),
    Feature("minutes_avg_last_10", "Mean minutes over the last 10 played games this season (player_daily_cache)."),
    Feature("points_per_minute_last_10", "Points per minute over the last 10 played games (player_daily_cache)."),
    Feature(
        "usage_rate_last_10",
        "Usage rate (%) over the last 10 played games; needs box splits and team totals "
        "(player_daily_cache from player_game_summary).",
    ),
    Feature(
        "ts_pct_last_10", "True shooting % over the last 10 played games; needs FGA/FTA splits (player_daily_cache)."
    ),
    Feature(
        "games_last_7_days",
        "Played games in the 7 days before the date; none is the fact 0 (player context).",
        source="coalesce(games_last_7_days, 0)",
    ),
    Feature(
        "days_rest", "Days since the player's last played game this season; NULL before his first (player context)."
    ),
    Feature(
        "back_to_back",
        "Played the day before; no earlier game this season is the fact false (player context).",
        source="coalesce(back_to_back, false)",
    ),
    Feature("is_home", "The player's team is the home team (schedule)."),
    Feature("fatigue_score", "SPEC fatigue score 0-100 from rest and 7/14-day workload (player_composite_factors)."),
    Feature(
        "shot_zone_mismatch_score",
        "Opponent FG% allowed vs league in the player's primary zone times his share "
        "there, +-10 (player_composite_factors).",
    ),
    Feature("pace_score", "Expected game pace (both teams' pace L10) vs league, +-3 (player_composite_factors)."),
    Feature(
        "usage_spike_score", "Projected usage with star teammates out minus usage L7, +-3 (player_composite_factors)."
    ),
    Feature(
        "opponent_def_rating_last_15",
        "Opponent's defensive rating over its last 15 games this season (team_defense_zone_analysis).",
    ),
    Feature(
        "opponent_pace_last_15", "Opponent's pace over its last 15 games this season (team_defense_zone_analysis)."
    ),
    Feature(
        "pct_paint",
        "Share of the player's FGA in the paint over his last 10 games with shot zones, once he has "
        "enough such games (player_shot_zone_analysis).",
    ),
    Feature(
        "pct_mid_range",
        "Share of FGA from mid-range over the last 10 games with shot zones (player_shot_zone_analysis).",
    ),
    Feature("pct_three", "Share of FGA from three over the last 10 games with shot zones (player_shot_zone_analysis)."),
    Feature(
        "ft_share_of_points", "Share of points from free throws over the last 10 played games (player_daily_cache)."
    ),
    Feature(
        "assisted_rate",
        "Share of made field goals assisted over the last 10 games; no source gives per-shot "
        "assists yet, so always NULL (player_shot_zone_analysis).",
    ),
    Feature("team_pace_last_10", "Own team's pace over its last 10 games this season (team context)."),
    Feature(
        "team_off_rating_last_10", "Own team's offensive rating over its last 10 games this season (team context)."
    ),
    Feature(
        "team_win_pct", "Own team's win share this season before the date; NULL before its first game (team context)."
    ),
    Feature(
        "prop_line",
        "Latest points line before tip-off from the preferred bookmaker; NULL without a line (prop_lines).",
        counted=False,
    ),
    Feature("opening_line", "First points line of that bookmaker; NULL without a line (prop_lines).", counted=False),
    Feature("line_movement", "Latest minus opening line; NULL without a line (prop_lines).", counted=False),
    Feature("has_prop_line", "A points line exists before tip-off (prop_lines)."),
    Feature(
        "avg_points_vs_opponent",
        "Mean points in every earlier played game against tonight's opponent, any "
        "season; NULL if never (player_game_summary).",
    ),
    Feature(
        "games_played_season",
        "Played games this season before the date; none is the fact 0 (player_daily_cache).",
        source="coalesce(games_played_season, 0)",
    ),
    # v2: role and availability (minutes are most of the remaining error)
    Feature("points_last_game", "Points in the player's last played game this season (player_daily_cache)."),
    Feature("minutes_last_game", "Minutes in the last played game this season (player_daily_cache)."),
    Feature("started_last_game", "Started his last played game, 1/0 (player_daily_cache)."),
    Feature("points_avg_last_3", "Mean points over the last 3 played games (player_daily_cache)."),
    Feature("minutes_avg_last_3", "Mean minutes over the last 3 played games (player_daily_cache)."),
    Feature("minutes_trend", "Minutes L3 minus minutes L10 (player_daily_cache)."),
    Feature("minutes_std_last_10", "Standard deviation of minutes over the last 10 played games (player_daily_cache)."),
    Feature("starter_share_last_5", "Share of starts in the last 5 played games (player_daily_cache)."),
    Feature("starter_share_last_10", "Share of starts in the last 10 played games (player_daily_cache)."),
    Feature(
        "fga_avg_last_10",
        "Mean field-goal attempts over the last 10 played games; needs box splits (player_daily_cache).",
    ),
    Feature(
        "fta_avg_last_10",
        "Mean free-throw attempts over the last 10 played games; needs box splits (player_daily_cache).",
    ),
    Feature(
        "team_games_missed_last_3",
        "Of the team's last 3 games this season, how many he did not play (player_daily_cache).",
    ),
    Feature(
        "team_games_missed_last_5",
        "Of the team's last 5 games this season, how many he did not play (player_daily_cache).",
    ),
    Feature("played_last_team_game", "Played the team's previous game this season (player context)."),
    Feature(
        "star_teammates_out", "Star teammates (SPEC section 4) who missed the team's previous game (player context)."
    ),
    Feature(
        "teammate_minutes_out",
        "Minutes L10 of teammates who missed the team's last game after playing one of its 5 before (feature store).",
    ),
    Feature("teammate_points_out", "Points L10 of those teammates out since the last game (feature store)."),
    Feature(
        "teammate_minutes_back",
        "Minutes L10 of teammates back in the last game after missing 2+ of the 5 before (feature store).",
    ),
    Feature("points_ewm", "Exponentially weighted mean of points over the season's played games (player_daily_cache)."),
    Feature(
        "minutes_ewm", "Exponentially weighted mean of minutes over the season's played games (player_daily_cache)."
    ),
    Feature(
        "opponent_win_pct",
        "Opponent's win share this season before the date; NULL before its first game (team context).",
    ),
    Feature("points_median_last_10", "Median points over the last 10 played games (player_daily_cache)."),
    Feature("points_median_season", "Median points over the season's played games (player_daily_cache)."),
    Feature("minutes_median_last_10", "Median minutes over the last 10 played games (player_daily_cache)."),
    # v3: tonight's availability from pre-game sources (availability_source says which)
    Feature(
        "teammate_minutes_out_tonight",
        "Minutes L10 of teammates unavailable tonight who played one of the "
        "team's last 5 (injury report, else last team game; see availability_source).",
    ),
    Feature(
        "teammate_points_out_tonight", "Points L10 of those teammates unavailable tonight (as availability_source)."
    ),
    Feature(
        "available_teammates",
        "Teammates available tonight (injury report, else played the team's last game; availability_source).",
    ),
    Feature(
        "projected_minutes",
        "His share of the team's 240 minutes among tonight's available players by minutes "
        "L10; NULL without minutes L10 (feature store).",
    ),
    Feature(
        "points_share_available",
        "His share of the points L10 of tonight's available players; NULL without points L10 (feature store).",
    ),
    # v5: the other markets (issue #16). Form windows from player_daily_cache (same season, played games before the
    # date), the opponent's from team_defense_zone_analysis (its last 15 games this season). 3PM/3PA come from box
    # scores with splits only: NULL in 2025-26 except after games a live box score filled (feature-defaults shows it).
    *form_features("threes", "threes made", THREES),
    Feature(
        "fg3a_avg_last_10",
        "Mean three-point attempts over the last 10 played games (player_daily_cache).",
        markets=THREES,
    ),
    Feature(
        "fg3a_per_minute_last_10",
        "Three-point attempts per minute over the last 10 played games with splits (player_daily_cache).",
        markets=THREES,
    ),
    Feature(
        "fg3_pct_shrunk",
        "Season 3P% before the date shrunk toward the league's by 250 attempts (macro fg3_pct_shrunk; league: this "
        "season before the date, else the previous season).",
        markets=THREES,
    ),
    Feature(
        "opponent_fg3a_allowed_last_15",
        "Opponent's three-point attempts allowed per game over its last 15 games (team_defense_zone_analysis).",
        markets=THREES,
    ),
    Feature(
        "opponent_fg3_pct_allowed_last_15",
        "Opponent's 3P% allowed over its last 15 games (team_defense_zone_analysis).",
        markets=THREES,
    ),
    *form_features("rebounds", "rebounds", REB),
    Feature(
        "rebounds_per_minute_last_10",
        "Rebounds per minute over the last 10 played games (player_daily_cache).",
        markets=REB,
    ),
    Feature(
        "opponent_rebounds_allowed_last_15",
        "Opponent's total rebounds allowed per game over its last 15 games (team_defense_zone_analysis).",
        markets=REB,
    ),
    *form_features("assists", "assists", AST),
    Feature(
        "assists_per_minute_last_10",
        "Assists per minute over the last 10 played games (player_daily_cache).",
        markets=AST,
    ),
    Feature(
        "opponent_assists_allowed_last_15",
        "Opponent's assists allowed per game over its last 15 games (team_defense_zone_analysis).",
        markets=AST,
    ),
    *form_features("pra", "points+rebounds+assists", PRA),
)

FEATURES: tuple[str, ...] = tuple(f.name for f in DECLARATIONS)

IDENTITY_COLUMNS = (
    "game_id", "game_date", "season", "season_year", "game_type", "player_id", "player_name", "team", "opponent",
)  # fmt: skip
CONTEXT_COLUMNS = (
    "line_bookmaker", "box_source", "form_source", "factors_source", "opponent_source", "zones_source", "line_source",
    "availability_source", "is_bootstrap",
)  # fmt: skip


def source_values(sql: str) -> str:
    """The SQL file's SELECT of source values with its shared fragments filled in (the league's 3P%)."""
    return fill_markers(TRANSFORM_NAME, sql, {"/* LEAGUE FG3 PCT */": LEAGUE_FG3_PCT})


def compose(inputs_sql: str) -> str:
    return feature_projection(
        source_values(inputs_sql),
        DECLARATIONS,
        version=FEATURE_VERSION,
        identity=IDENTITY_COLUMNS,
        context=CONTEXT_COLUMNS,
    )


TRANSFORM = declare(
    __file__,
    name=TRANSFORM_NAME,
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
        "raw.player_boxscores",
    ),
    keys=("player_id", "game_id"),
    partition_column="game_date",
    bootstrap=True,
    lookback="same_date",
    # avg_points_vs_opponent: every earlier season too; box_source: the latest played game's raw row this season
    reads=(("analytics.player_game_summary", "history"), ("raw.player_boxscores", "season")),
    dates="scheduled",
    compose=compose,
    description=(
        "Feature store v5 for player props (points, PRA, threes, rebounds, assists): form, role, availability tonight, "
        "workload, matchup, pace, zones, lines."
    ),
)
