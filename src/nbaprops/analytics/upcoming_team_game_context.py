"""analytics.upcoming_team_game_context: one row per team and scheduled game (future ones included) with rest,
workload, form and the opponent's, all from before tip-off (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.upcoming_team_game_context",
    phase="analytics",
    inputs=("raw.games", "analytics.team_offense_game_summary"),
    keys=("game_id", "team"),
    partition_column="game_date",
    lookback="season",
    dates="scheduled",
    columns={
        "team_game_number": "the team's game number this season (1 = first)",
        "games_played": "the team's games this season before the date",
        "wins": "the team's wins this season before the date",
        "win_pct": "wins / games played this season before the date (NULL before the first game)",
        "pace_l10": "the team's pace over its last 10 games",
        "offensive_rating_l10": "the team's offensive rating over its last 10 games",
        "opponent_days_rest": "the opponent's days since its previous game",
        "opponent_pace_l10": "the opponent's pace over its last 10 games",
        "opponent_offensive_rating_l10": "the opponent's offensive rating over its last 10 games",
        "opponent_win_pct": "the opponent's win percentage this season before the date",
    },
    description="Pre-game team context: days rest, back-to-backs, workload, pace and ORtg L10, win pct.",
)
