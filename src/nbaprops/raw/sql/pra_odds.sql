-- props/player_pra_odds_*.csv.gz -> raw.prop_lines (market player_points_rebounds_assists). No commence time: the
-- event date is the game date.
SELECT
    'player_points_rebounds_assists' AS market, bookmaker_key(p.bookmaker) AS bookmaker,
    p.player_name, player_lookup(p.player_name) AS player_lookup, p.event_id,
    CAST(p.event_date AS DATE) AS game_date, NULL AS commence_time_utc,
    h.team AS home_team, a.team AS away_team, gm.game_id,
    CAST(p.line AS DOUBLE) AS line, CAST(p.over_price AS DOUBLE) AS over_price,
    CAST(p.under_price AS DOUBLE) AS under_price,
    CAST(timezone('UTC', TRY_CAST(p."timestamp" AS TIMESTAMPTZ)) AS TIMESTAMP) AS snapshot_time_utc,
    'odds_api' AS source, $source_file AS source_file, p._line AS source_line,
    CASE WHEN h.team IS NULL THEN 'unknown team name ' || p.home_team
         WHEN a.team IS NULL THEN 'unknown team name ' || p.away_team END AS _problem
FROM stage p
LEFT JOIN raw.team_names h ON h.name = p.home_team
LEFT JOIN raw.team_names a ON a.name = p.away_team
LEFT JOIN raw.games gm
    ON gm.game_date = CAST(p.event_date AS DATE) AND gm.home_team = h.team AND gm.away_team = a.team
