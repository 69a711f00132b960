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
    columns={
        "days_rest": "days since the player's latest played game this season (NULL before his first)",
        "back_to_back": "true when the player's latest played game was the day before",
        "games_last_7_days": "games the player played in the 7 days before the date",
        "minutes_last_7_days": "minutes the player played in the 7 days before the date",
        "games_last_14_days": "games the player played in the 14 days before the date",
        "minutes_last_14_days": "minutes the player played in the 14 days before the date",
        "back_to_backs_last_14_days": "back-to-backs the player played in the 14 days before the date",
        "games_played": "games the player played this season before the date",
        "points_avg_l5": "points per game over his last 5 played games this season",
        "points_avg_l10": "points per game over his last 10 played games this season",
        "points_avg_season": "points per game this season before the date",
        "minutes_avg_l10": "minutes per game over his last 10 played games this season",
        "minutes_avg_season": "minutes per game this season before the date",
        "played_last_team_game": "true when he played his team's previous game",
        "is_star": "at least 10 games and 18+ points per game, or 28+ minutes and 12+ points (SPEC section 4)",
        "star_teammates_out": "stars of his team who did not play the team's previous game (himself excluded)",
        "available_tonight": "whether he is expected to play, from availability_source",
        "injury_status": "latest injury-report status for the game (Out, Doubtful, Questionable, ...), else NULL",
        "team_pace_l10": "his team's pace over its last 10 games",
        "opponent_pace_l10": "the opponent's pace over its last 10 games",
        "line_snapshots": "points-line snapshots seen before tip-off",
        "has_line": "true when a points line was seen before tip-off",
    },
    description=(
        "Pre-game player context: rest, workload, points L5/L10 over played games, stars out, availability tonight, "
        "prop line."
    ),
)
