-- gamelogs/nba_player_game_logs_*.csv.gz -> raw.player_boxscores (source nba_gamelog). NBA.com's LeagueGameLog
-- has no game id and no shooting splits: the game is found by (date, team) among the loaded games, and the splits
-- stay NULL. Neutral-site games may call the other team home, so the game matches on its two teams;
-- home/away comes from the game. A row whose game is not loaded is quarantined with that reason.
WITH g AS (
    SELECT _line, CAST(PLAYER_ID AS BIGINT) AS player_id, PLAYER_NAME, TEAM_ABBREVIATION AS team,
        CAST(GAME_DATE AS DATE) AS game_date, MATCHUP, MIN, PTS, REB, AST, STL, BLK, TOV, PLUS_MINUS,
        contains(MATCHUP, ' vs. ') AS is_home,
        trim(regexp_extract(MATCHUP, '(?:@|vs\.)\s*([A-Z]+)\s*$', 1)) AS opponent
    FROM stage
)
SELECT
    gm.game_id, g.game_date, gm.season, gm.season_year, gm.game_type, gm.game_code,
    g.team, g.opponent, coalesce(gm.home_team = g.team, g.is_home) AS is_home,
    g.player_id::VARCHAR AS source_player_id, g.player_id, NULL AS bbref_player_id,
    g.PLAYER_NAME AS player_name, player_lookup(g.PLAYER_NAME) AS player_lookup,
    NULL AS starter, NULL AS dnp_reason, g.MIN AS minutes,
    CAST(CAST(g.PTS AS DOUBLE) AS INTEGER) AS pts,
    NULL AS fgm, NULL AS fga, NULL AS fg3m, NULL AS fg3a, NULL AS ftm, NULL AS fta, NULL AS oreb, NULL AS dreb,
    CAST(CAST(g.REB AS DOUBLE) AS INTEGER) AS reb, CAST(CAST(g.AST AS DOUBLE) AS INTEGER) AS ast,
    CAST(CAST(g.STL AS DOUBLE) AS INTEGER) AS stl, CAST(CAST(g.BLK AS DOUBLE) AS INTEGER) AS blk,
    CAST(CAST(g.TOV AS DOUBLE) AS INTEGER) AS tov, NULL AS pf,
    CAST(CAST(g.PLUS_MINUS AS DOUBLE) AS INTEGER) AS plus_minus,
    'nba_gamelog' AS source, $source_file AS source_file, g._line AS source_line,
    CASE WHEN g.opponent IS NULL OR g.opponent = '' THEN 'cannot read the opponent from MATCHUP ' || g.MATCHUP
         WHEN gm.game_id IS NULL
         THEN 'no loaded game for ' || g.team || ' on ' || g.game_date
              || ' (load the schedule or team box scores that list it)'
    END AS _problem
FROM g
-- the game's two teams as an unordered pair: only equalities, so a hash join (an OR of the two orders made it a
-- nested loop over every loaded game, a file's cost growing with the warehouse)
LEFT JOIN raw.games gm
    ON gm.game_date = g.game_date
   AND least(gm.home_team, gm.away_team) = least(g.team, g.opponent)
   AND greatest(gm.home_team, gm.away_team) = greatest(g.team, g.opponent)
