-- team/team_game_logs_*.csv (one row per game, home and road side by side) -> two raw.team_boxscores rows.
WITH sides AS (
    SELECT _line, lpad(game_id, 10, '0') AS game_id, CAST(game_date AS DATE) AS game_date, true AS is_home,
        team_abbreviation_home AS team, team_abbreviation_road AS opponent,
        pts_home AS pts, pts_road AS opp_pts, fgm_home AS fgm, fga_home AS fga, fg3m_home AS fg3m,
        fg3a_home AS fg3a, ftm_home AS ftm, fta_home AS fta, oreb_home AS oreb, dreb_home AS dreb,
        reb_home AS reb, ast_home AS ast, stl_home AS stl, blk_home AS blk, tov_home AS tov, pf_home AS pf,
        plus_minus_home AS plus_minus
    FROM stage
    UNION ALL
    SELECT _line, lpad(game_id, 10, '0'), CAST(game_date AS DATE), false,
        team_abbreviation_road, team_abbreviation_home,
        pts_road, pts_home, fgm_road, fga_road, fg3m_road, fg3a_road, ftm_road, fta_road, oreb_road, dreb_road,
        reb_road, ast_road, stl_road, blk_road, tov_road, pf_road, plus_minus_road
    FROM stage
)
SELECT
    game_id, game_date,
    season_label(2000 + CAST(substr(game_id, 4, 2) AS INTEGER)) AS season,
    2000 + CAST(substr(game_id, 4, 2) AS INTEGER) AS season_year,
    game_type_of(game_id) AS game_type,
    CASE WHEN is_home THEN game_code(game_date, opponent, team) ELSE game_code(game_date, team, opponent) END
        AS game_code,
    team, opponent, is_home,
    CAST(pts AS DOUBLE) > CAST(opp_pts AS DOUBLE) AS win,
    NULL AS minutes,
    CAST(CAST(pts AS DOUBLE) AS INTEGER) AS pts, CAST(CAST(fgm AS DOUBLE) AS INTEGER) AS fgm,
    CAST(CAST(fga AS DOUBLE) AS INTEGER) AS fga, CAST(CAST(fg3m AS DOUBLE) AS INTEGER) AS fg3m,
    CAST(CAST(fg3a AS DOUBLE) AS INTEGER) AS fg3a, CAST(CAST(ftm AS DOUBLE) AS INTEGER) AS ftm,
    CAST(CAST(fta AS DOUBLE) AS INTEGER) AS fta, CAST(CAST(oreb AS DOUBLE) AS INTEGER) AS oreb,
    CAST(CAST(dreb AS DOUBLE) AS INTEGER) AS dreb, CAST(CAST(reb AS DOUBLE) AS INTEGER) AS reb,
    CAST(CAST(ast AS DOUBLE) AS INTEGER) AS ast, CAST(CAST(stl AS DOUBLE) AS INTEGER) AS stl,
    CAST(CAST(blk AS DOUBLE) AS INTEGER) AS blk, CAST(CAST(tov AS DOUBLE) AS INTEGER) AS tov,
    CAST(CAST(pf AS DOUBLE) AS INTEGER) AS pf, CAST(CAST(plus_minus AS DOUBLE) AS INTEGER) AS plus_minus,
    'nba_team_box' AS source, $source_file AS source_file, _line AS source_line,
    CASE WHEN game_type_of(game_id) IS NULL THEN 'unknown game id prefix in ' || game_id END AS _problem
FROM sides
