-- team/linescores_*.csv -> raw.linescores, one row per team per game.
WITH sides AS (
    SELECT _line, lpad(game_id, 10, '0') AS game_id, CAST(game_date AS DATE) AS game_date, true AS is_home,
        team_abbreviation_home AS team, pts_qtr1_home AS q1, pts_qtr2_home AS q2, pts_qtr3_home AS q3,
        pts_qtr4_home AS q4, pts_ot_total_home AS ot, pts_home AS pts
    FROM stage
    UNION ALL
    SELECT _line, lpad(game_id, 10, '0'), CAST(game_date AS DATE), false, team_abbreviation_road,
        pts_qtr1_road, pts_qtr2_road, pts_qtr3_road, pts_qtr4_road, pts_ot_total_road, pts_road
    FROM stage
)
SELECT
    game_id, game_date, season_label(2000 + CAST(substr(game_id, 4, 2) AS INTEGER)) AS season,
    team, is_home,
    CAST(CAST(q1 AS DOUBLE) AS INTEGER) AS pts_q1, CAST(CAST(q2 AS DOUBLE) AS INTEGER) AS pts_q2,
    CAST(CAST(q3 AS DOUBLE) AS INTEGER) AS pts_q3, CAST(CAST(q4 AS DOUBLE) AS INTEGER) AS pts_q4,
    CAST(CAST(ot AS DOUBLE) AS INTEGER) AS pts_ot, TRY_CAST(TRY_CAST(pts AS DOUBLE) AS INTEGER) AS pts,
    $source_file AS source_file, _line AS source_line,
    NULL AS _problem
FROM sides
