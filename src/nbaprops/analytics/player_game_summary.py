"""analytics.player_game_summary: one row per player-game with minutes, status, shooting, usage, zones and the
points line, from Basketball-Reference box scores with the NBA.com game log as fallback (see the SQL)."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="analytics.player_game_summary",
    phase="analytics",
    inputs=("raw.player_boxscores", "raw.team_boxscores", "raw.shots", "raw.prop_lines", "raw.player_names"),
    keys=("game_id", "player_id"),
    partition_column="game_date",
    lookback="same_date",
    columns={
        "source": "which box score the row is from: bbref_box (Basketball-Reference), nba_gamelog or nba_box",
        "quality_tier": "gold: splits and shot zones that add up; silver: splits, zones missing or short; "
        "bronze: no splits",
        "quality_score": "gold 1.0, silver 0.75, bronze 0.5, minus 0.25 when minutes or usage carry an error",
        "status": "active (no DNP reason, even at 0:00), dnp (a coach's decision) or inactive",
        "dnp_reason": "the source's reason the player did not play (e.g. Did Not Dress), NULL when he played",
        "dnp_reason_category": "coach_decision, injury, personal or other; NULL when he played",
        "starter": "true when the player started",
        "minutes": "minutes played, parsed from the source's MM:SS (parse_minutes macro)",
        "minutes_error": "why minutes could not be parsed or were rejected, else NULL",
        "usage_rate": "usage rate: share of team plays used while on the floor, in percent (NULL when impossible)",
        "usage_error": "why usage was rejected (above 100%), else NULL",
        "points_line": "latest points line before tip-off from the preferred bookmaker, NULL without one",
        "over_under_result": "OVER, UNDER or PUSH of the points against points_line (NULL without line or game)",
    },
    description="Player box scores with parsed minutes, DNP status, eFG%/TS%/usage, shot zones and prop results.",
)
