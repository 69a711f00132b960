"""precompute.player_daily_cache: per player and date, the player's form and role before that date (SPEC section 5)."""

from nbaprops.pipeline.transform import declare
from nbaprops.precompute.form_windows import WINDOWS, fill_markers, form_windows, window_descriptions

TABLE = "precompute.player_daily_cache"


def compose(sql: str) -> str:
    """The form windows (declared once in form_windows.py) over the season's played games, latest first."""
    return fill_markers(
        TABLE,
        sql,
        {
            "/* FORM WINDOWS */": form_windows("games_ago"),
            "/* FORM COLUMNS */": ", ".join(f"w.{name}" for name in WINDOWS),
        },
    )


TRANSFORM = declare(
    __file__,
    name=TABLE,
    compose=compose,
    phase="precompute",
    inputs=(
        "analytics.upcoming_player_game_context",
        "analytics.upcoming_team_game_context",
        "analytics.player_game_summary",
    ),
    keys=("player_id", "cache_date"),
    partition_column="cache_date",
    bootstrap=True,
    lookback="season",
    dates="scheduled",
    columns={
        "cache_date": "the date the row serves (a game date): every window ends before it",
        "team": "the player's team on cache_date",
        "games_played": "games the player played this season before cache_date",
        **window_descriptions(),
        "usage_rate_last_7": "mean usage rate over his last 7 played games",
        "minutes_avg_season": "minutes per game this season before cache_date",
        "last_played_date": "date of his latest played game this season before cache_date",
        "points_last_game": "points in his latest played game",
        "minutes_last_game": "minutes in his latest played game",
        "started_last_game": "1 when he started his latest played game, else 0",
        "team_games_missed_last_3": "of his team's last 3 games, how many he did not play",
        "team_games_missed_last_5": "of his team's last 5 games, how many he did not play",
        "team_pace_last_10": "his team's pace over its last 10 games",
        "team_off_rating_last_10": "his team's offensive rating over its last 10 games",
    },
    description=(
        "Points, minutes, role, usage, TS%, threes, rebounds, assists and PRA windows over played games strictly "
        "before the date, same season."
    ),
)
