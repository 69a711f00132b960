-- box/bbref_player_box_*.csv.gz -> raw.player_boxscores (source bbref_box). player_id is filled in afterwards by
-- the identity resolver (raw.players), since Basketball-Reference has no NBA person ids.
SELECT
    nba_game_id AS game_id,
    CAST(game_date AS DATE) AS game_date,
    season_label(2000 + CAST(substr(nba_game_id, 4, 2) AS INTEGER)) AS season,
    2000 + CAST(substr(nba_game_id, 4, 2) AS INTEGER) AS season_year,
    game_type_of(nba_game_id) AS game_type,
    CASE WHEN home_away = 'H' THEN game_code(CAST(game_date AS DATE), opp_nba, team_nba)
         ELSE game_code(CAST(game_date AS DATE), team_nba, opp_nba) END AS game_code,
    team_nba AS team, opp_nba AS opponent, home_away = 'H' AS is_home,
    bbref_player_id AS source_player_id,
    CAST(NULL AS BIGINT) AS player_id,
    bbref_player_id,
    player AS player_name,
    player_lookup(player) AS player_lookup,
    CAST(starter AS DOUBLE) = 1 AS starter,
    nullif(trim(dnp_reason), '') AS dnp_reason,  -- empty means played (the corpus rule, macro player_status)
    minutes,
    CAST(CAST(pts AS DOUBLE) AS INTEGER) AS pts, CAST(CAST(fgm AS DOUBLE) AS INTEGER) AS fgm,
    CAST(CAST(fga AS DOUBLE) AS INTEGER) AS fga, CAST(CAST(fg3m AS DOUBLE) AS INTEGER) AS fg3m,
    CAST(CAST(fg3a AS DOUBLE) AS INTEGER) AS fg3a, CAST(CAST(ftm AS DOUBLE) AS INTEGER) AS ftm,
    CAST(CAST(fta AS DOUBLE) AS INTEGER) AS fta, CAST(CAST(oreb AS DOUBLE) AS INTEGER) AS oreb,
    CAST(CAST(dreb AS DOUBLE) AS INTEGER) AS dreb, CAST(CAST(reb AS DOUBLE) AS INTEGER) AS reb,
    CAST(CAST(ast AS DOUBLE) AS INTEGER) AS ast, CAST(CAST(stl AS DOUBLE) AS INTEGER) AS stl,
    CAST(CAST(blk AS DOUBLE) AS INTEGER) AS blk, CAST(CAST(tov AS DOUBLE) AS INTEGER) AS tov,
    CAST(CAST(pf AS DOUBLE) AS INTEGER) AS pf, CAST(CAST(plus_minus AS DOUBLE) AS INTEGER) AS plus_minus,
    'bbref_box' AS source, $source_file AS source_file, _line AS source_line,
    CASE WHEN length(nba_game_id) <> 10 THEN 'nba_game_id ' || nba_game_id || ' is not a 10-character game id'
         WHEN game_type_of(nba_game_id) IS NULL THEN 'unknown game id prefix in ' || nba_game_id
         WHEN home_away NOT IN ('H', 'A') THEN 'home_away must be H or A, found ' || home_away
    END AS _problem
FROM stage
