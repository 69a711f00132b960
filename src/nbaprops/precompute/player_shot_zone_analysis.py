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
    columns={
        "analysis_date": "the date the row serves (a game date): every window ends before it",
        "min_games": "games needed for zone features on this date: 3, one more every 3 days of the season, up to 9",
        "games_last_10": "games with shot zones among his last 10 played this season",
        "games_last_20": "games with shot zones among his last 20 played this season",
        "pct_paint_last_10": "share of his zone attempts in the paint, last 10 games",
        "pct_mid_range_last_10": "share of his zone attempts from mid-range, last 10 games",
        "pct_three_last_10": "share of his zone attempts from three, last 10 games",
        "pct_paint_last_20": "share of his zone attempts in the paint, last 20 games",
        "pct_mid_range_last_20": "share of his zone attempts from mid-range, last 20 games",
        "pct_three_last_20": "share of his zone attempts from three, last 20 games",
        "paint_fg_pct_last_10": "his FG% in the paint, last 10 games",
        "mid_range_fg_pct_last_10": "his FG% from mid-range, last 10 games",
        "three_fg_pct_last_10": "his FG% from three, last 10 games",
        "paint_fg_pct_last_20": "his FG% in the paint, last 20 games",
        "mid_range_fg_pct_last_20": "his FG% from mid-range, last 20 games",
        "three_fg_pct_last_20": "his FG% from three, last 20 games",
        "paint_fga_per_game_last_10": "paint attempts per game, last 10 games",
        "mid_range_fga_per_game_last_10": "mid-range attempts per game, last 10 games",
        "three_fga_per_game_last_10": "three-point attempts per game, last 10 games",
        "assisted_rate_last_10": "share of his made field goals that were assisted (NULL: no source says so per shot)",
        "meets_min_games": "true when games_last_10 >= min_games (zone features are used only then)",
    },
    description="Zone shares of FGA, zone FG%, attempts per game L10/L20 and the primary zone.",
)
