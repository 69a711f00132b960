-- shots/NBA_*_Shots.csv.zip -> raw.shots. GAME_ID arrives as an integer (zero-padded here), GAME_DATE as MM-DD-YYYY.
SELECT
    lpad(s.GAME_ID, 10, '0') AS game_id,
    strptime(s.GAME_DATE, '%m-%d-%Y')::DATE AS game_date,
    s.SEASON_2 AS season,
    2000 + CAST(substr(lpad(s.GAME_ID, 10, '0'), 4, 2) AS INTEGER) AS season_year,
    t.team,
    CAST(s.PLAYER_ID AS BIGINT) AS player_id,
    s.PLAYER_NAME AS player_name,
    CAST(CAST(s.QUARTER AS DOUBLE) AS INTEGER) AS period,
    CAST(CAST(s.MINS_LEFT AS DOUBLE) AS INTEGER) AS mins_left,
    CAST(CAST(s.SECS_LEFT AS DOUBLE) AS INTEGER) AS secs_left,
    upper(s.SHOT_MADE) = 'TRUE' AS shot_made,
    CASE WHEN s.SHOT_TYPE LIKE '3PT%' THEN 3 ELSE 2 END AS shot_value,
    s.ACTION_TYPE AS action_type, s.BASIC_ZONE AS basic_zone, s.ZONE_NAME AS zone_name,
    s.ZONE_RANGE AS zone_range,
    CAST(s.SHOT_DISTANCE AS DOUBLE) AS shot_distance,
    CAST(s.LOC_X AS DOUBLE) AS loc_x, CAST(s.LOC_Y AS DOUBLE) AS loc_y,
    'nba_shots' AS source, $source_file AS source_file, s._line AS source_line,
    CASE WHEN t.team IS NULL THEN 'unknown team id ' || s.TEAM_ID
         WHEN upper(s.SHOT_MADE) NOT IN ('TRUE', 'FALSE') THEN 'SHOT_MADE must be TRUE or FALSE, found ' || s.SHOT_MADE
         WHEN s.SHOT_TYPE NOT LIKE '2PT%' AND s.SHOT_TYPE NOT LIKE '3PT%'
         THEN 'SHOT_TYPE must be 2PT or 3PT Field Goal, found ' || s.SHOT_TYPE
    END AS _problem
FROM stage s
LEFT JOIN raw.teams t ON t.team_id = TRY_CAST(s.TEAM_ID AS BIGINT)
