"""analytics.team_offense_game_summary: one row per team-game with totals, possessions, pace, offensive rating,
shot zones and whether the team's totals equal the sum of its players (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.team_offense_game_summary",
    phase="analytics",
    inputs=("raw.team_boxscores", "raw.linescores", "analytics.player_game_summary"),
    keys=("game_id", "team"),
    partition_column="game_date",
    lookback="same_date",
    columns={
        "source": "which team box score the totals come from (the richest: the NBA.com team box first)",
        "opp_pts": "points the opponent scored",
        "possessions": "the game's possessions: mean of both teams' estimates (SPEC section 3), same on both rows",
        "pace": "possessions per 48 minutes",
        "offensive_rating": "points per 100 possessions",
        "paint_fga": "paint attempts (NULL unless every player who played has zones that add up to the team's fga)",
        "player_rows": "player rows of the team in analytics.player_game_summary",
        "players_played": "players of the team who played",
    },
    description="Team box scores with possessions, pace, ORtg, TS%, zones and the players-add-up check.",
)
