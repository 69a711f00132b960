-- raw.active_lists from the Basketball-Reference box-score listings (see migration 0007): one row per listed (game,
-- player). A "Did Not Play" player dressed (a coach's decision, made during the game); any other reason ("Did Not
-- Dress", "Not With Team", a suspension) means inactive. NBA.com game logs list only the players who got on the
-- floor: a list built from them would say who played, which is not known before tip-off, so the games they alone
-- cover (2025-26, playoffs) have no active list and the player context falls back to the injury report.
DELETE FROM raw.active_lists;
INSERT INTO raw.active_lists
SELECT game_id, game_date, season_year, team, player_id,
    dnp_reason IS NULL OR dnp_reason = 'Did Not Play' AS available, dnp_reason AS reason, source
FROM raw.player_boxscores
WHERE player_id IS NOT NULL AND source = 'bbref_box'
QUALIFY row_number() OVER (PARTITION BY game_id, player_id ORDER BY source_file, source_line) = 1;
