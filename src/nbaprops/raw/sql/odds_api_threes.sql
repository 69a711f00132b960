-- props/odds_api_player_threes_*.csv.gz -> raw.prop_lines. One file date per daily snapshot; the snapshot time is
-- the market's (or bookmaker's) last update when given, else the file date.
WITH p AS (
    SELECT *,
        CAST(game_time AS TIMESTAMPTZ) AS commence,
        trim(split_part(game, ' @ ', 1)) AS away_name,
        trim(split_part(game, ' @ ', 2)) AS home_name
    FROM stage
)
SELECT
    p.market, bookmaker_key(p.bookmaker) AS bookmaker, p.player AS player_name,
    player_lookup(p.player) AS player_lookup, NULL AS event_id,
    CAST(timezone('America/New_York', p.commence) AS DATE) AS game_date,
    CAST(timezone('UTC', p.commence) AS TIMESTAMP) AS commence_time_utc,
    h.team AS home_team, a.team AS away_team, gm.game_id,
    CAST(p.line AS DOUBLE) AS line, CAST(p.over_odds AS DOUBLE) AS over_price,
    CAST(p.under_odds AS DOUBLE) AS under_price,
    coalesce(
        CAST(timezone('UTC', TRY_CAST(p.market_last_update AS TIMESTAMPTZ)) AS TIMESTAMP),
        CAST(timezone('UTC', TRY_CAST(p.bookmaker_last_update AS TIMESTAMPTZ)) AS TIMESTAMP),
        CAST(p.file_date AS TIMESTAMP)
    ) AS snapshot_time_utc,
    'odds_api' AS source, $source_file AS source_file, p._line AS source_line,
    CASE WHEN h.team IS NULL OR a.team IS NULL THEN 'unknown team name in game ' || p.game END AS _problem
FROM p
LEFT JOIN raw.team_names h ON h.name = p.home_name
LEFT JOIN raw.team_names a ON a.name = p.away_name
LEFT JOIN raw.games gm
    ON gm.game_date = CAST(timezone('America/New_York', p.commence) AS DATE)
   AND gm.home_team = h.team AND gm.away_team = a.team
