-- LeagueSchedule files -> raw.schedule. gameDateTimeEst is US Eastern wall time (its "+00:00"/"Z" suffix is wrong),
-- so the date is its first ten characters. Unknown team ids are allowed only outside the games in scope
-- (preseason games against international clubs, All-Star teams); team id 0 is a slot not yet decided (TBD).
WITH s AS (
    SELECT
        lpad(gameId, 10, '0') AS game_id,
        CAST(substr(gameDateTimeEst, 1, 10) AS DATE) AS game_date,
        TRY_CAST(substr(gameDateTimeEst, 1, 19) AS TIMESTAMP) AS game_datetime_est,
        CAST(homeTeamId AS BIGINT) AS home_team_id,
        CAST(awayTeamId AS BIGINT) AS away_team_id,
        arenaName, arenaCity, gameLabel, gameSubLabel, gameSubtype, _line
    FROM stage
)
SELECT
    s.game_id, s.game_date, s.game_datetime_est,
    season_label(2000 + CAST(substr(s.game_id, 4, 2) AS INTEGER)) AS season,
    2000 + CAST(substr(s.game_id, 4, 2) AS INTEGER) AS season_year,
    game_type_of(s.game_id) AS game_type,
    coalesce(s.gameLabel = 'Emirates NBA Cup' OR s.gameSubtype LIKE 'in-season%', false) AS is_cup,
    h.team AS home_team, a.team AS away_team, s.home_team_id, s.away_team_id,
    s.arenaName AS arena_name, s.arenaCity AS arena_city, s.gameLabel AS game_label,
    s.gameSubLabel AS game_sub_label,
    game_code(s.game_date, a.team, h.team) AS game_code,
    $source_file AS source_file, s._line AS source_line,
    CASE WHEN game_type_of(s.game_id) IS NULL THEN 'unknown game id prefix in ' || s.game_id
         WHEN game_type_of(s.game_id) IN ('regular_season', 'play_in', 'playoffs', 'cup_final')
              AND ((h.team IS NULL AND s.home_team_id <> 0) OR (a.team IS NULL AND s.away_team_id <> 0))
         THEN 'unknown team id ' || CASE WHEN h.team IS NULL AND s.home_team_id <> 0 THEN s.home_team_id ELSE s.away_team_id END
    END AS _problem
FROM s
LEFT JOIN raw.teams h ON h.team_id = s.home_team_id
LEFT JOIN raw.teams a ON a.team_id = s.away_team_id
