"""precompute.team_defense_zone_analysis: each team's defense by shot zone over its last 15 games (SPEC section 5)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="precompute.team_defense_zone_analysis",
    phase="precompute",
    inputs=("analytics.upcoming_team_game_context", "analytics.team_defense_game_summary"),
    keys=("team", "analysis_date"),
    partition_column="analysis_date",
    bootstrap=True,
    lookback="season",
    dates="scheduled",
    columns={
        "analysis_date": "the date the row serves (a game date): every window ends before it",
        "games_in_window": "the team's games in the window (its last 15 this season before the date)",
        "zone_games_in_window": "games of the window with the opponent's shot zones",
        "def_rating_last_15": "mean defensive rating over the team's last 15 games",
        "opponent_pace_last_15": "mean pace of its opponents over the team's last 15 games",
        "fg3a_allowed_last_15": "opponents' three-point attempts per game over the window (box score)",
        "fg3_pct_allowed_last_15": "opponents' 3P% over the window's games with 3PM/3PA (box score)",
        "rebounds_allowed_last_15": "opponents' total rebounds per game over the window",
        "assists_allowed_last_15": "opponents' assists per game over the window",
        "league_pace": "league-average pace over games before the date this season",
        "paint_fg_pct_allowed": "opponents' FG% in the paint over the window",
        "mid_range_fg_pct_allowed": "opponents' FG% from mid-range over the window",
        "three_fg_pct_allowed": "opponents' FG% from three over the window",
        "paint_fga_allowed_per_game": "opponents' paint attempts per game over the window",
        "mid_range_fga_allowed_per_game": "opponents' mid-range attempts per game over the window",
        "three_fga_allowed_per_game": "opponents' three-point attempts per game over the window",
        "paint_pts_allowed_per_game": "points allowed in the paint per game (2 per make)",
        "mid_range_pts_allowed_per_game": "points allowed from mid-range per game (2 per make)",
        "three_pts_allowed_per_game": "points allowed from three per game (3 per make)",
        "league_paint_fg_pct": "league FG% in the paint before the date this season",
        "league_mid_range_fg_pct": "league FG% from mid-range before the date this season",
        "league_three_fg_pct": "league FG% from three before the date this season",
        "paint_vs_league": "paint FG% allowed minus the league's, in percentage points",
        "mid_range_vs_league": "mid-range FG% allowed minus the league's, in percentage points",
        "three_vs_league": "three-point FG% allowed minus the league's, in percentage points",
        "strongest_zone": "zone where the team allows the least against the league",
        "weakest_zone": "zone where the team allows the most against the league",
    },
    description=(
        "FG% allowed, attempts and points allowed per game per zone vs the league, DRtg and pace L15; threes, "
        "rebounds and assists allowed L15."
    ),
)
