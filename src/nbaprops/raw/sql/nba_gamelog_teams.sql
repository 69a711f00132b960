-- gamelogs/nba_team_game_logs_*.csv.gz -> raw.team_boxscores (source nba_gamelog, no shooting splits). Games are
-- found as in nba_gamelog_players.sql.
WITH g AS (
    SELECT _line, TEAM_ABBREVIATION AS team, CAST(GAME_DATE AS DATE) AS game_date, MATCHUP, WL,
        PTS, REB, AST, STL, BLK, TOV, PLUS_MINUS,
        contains(MATCHUP, ' vs. ') AS is_home,
        trim(regexp_extract(MATCHUP, '(?:@|vs\.)\s*([A-Z]+)\s*$', 1)) AS opponent
    FROM stage
)
SELECT
    gm.game_id, g.game_date, gm.season, gm.season_year, gm.game_type, gm.game_code,
    g.team, g.opponent, coalesce(gm.home_team = g.team, g.is_home) AS is_home,
    CASE g.WL WHEN 'W' THEN true WHEN 'L' THEN false END AS win,
    NULL AS minutes,
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
