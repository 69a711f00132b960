-- precompute.player_daily_cache: one row per player scheduled to play on a date (the player context's rows), with
-- windows over that player's PLAYED games strictly before the date in the same season (SPEC section 5). DNP and
-- inactive rows never enter an average. Team pace and ORtg L10 come from the team context (also strictly before).
-- Role and availability (feature version 2): the last game and the last 3, starts, minutes spread, shot volume, and
-- how many of the player's team's earlier games (same season, strictly before the date) he did not play.
-- The form windows are declared once in form_windows.py (the early-season rows compute the same ones over their own
-- evidence) and filled in at the markers; version 5 adds threes, 3PA, rebounds, assists and PRA windows.
WITH targets AS (
    SELECT DISTINCT player_id, team, game_date AS cache_date, season, season_year
    FROM analytics.upcoming_player_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
played AS (
    SELECT player_id, game_id, game_date, season_year, pts, minutes, coalesce(starter, false)::INTEGER AS started,
        usage_rate, fga, fta, ftm, fg3m, fg3a, reb, ast
    FROM analytics.player_game_summary
    WHERE status = 'active' AND game_date < $end_date
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
),
history AS (
    SELECT t.player_id, t.cache_date, p.*,
        row_number() OVER (PARTITION BY t.player_id, t.cache_date ORDER BY p.game_date DESC) AS games_ago
    FROM targets t
    JOIN played p ON p.player_id = t.player_id AND p.season_year = t.season_year AND p.game_date < t.cache_date
),
windows AS (
    SELECT player_id, cache_date,
        count(*) AS games_played,
        /* FORM WINDOWS */,
        avg(usage_rate) FILTER (WHERE games_ago <= 7) AS usage_rate_last_7,
        avg(minutes) AS minutes_avg_season,
        max(game_date) AS last_played_date,
        any_value(pts) FILTER (WHERE games_ago = 1) AS points_last_game,
        any_value(minutes) FILTER (WHERE games_ago = 1) AS minutes_last_game,
        any_value(started) FILTER (WHERE games_ago = 1) AS started_last_game
    FROM history
    GROUP BY ALL
),
team_games AS (
    SELECT DISTINCT team, season_year, game_id, game_date
    FROM analytics.player_game_summary
    WHERE game_date < $end_date
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
),
recent_team_games AS (
    -- The player's team's last 5 games before the date, same season.
    SELECT t.player_id, t.cache_date, g.game_id,
        row_number() OVER (PARTITION BY t.player_id, t.cache_date ORDER BY g.game_date DESC) AS recency
    FROM targets t
    JOIN team_games g ON g.team = t.team AND g.season_year = t.season_year AND g.game_date < t.cache_date
    QUALIFY recency <= 5
),
availability AS (
    -- How many of those games the player did not play (DNP, inactive, or not listed).
    SELECT r.player_id, r.cache_date,
        count(*) FILTER (WHERE r.recency <= 3 AND p.game_id IS NULL) AS team_games_missed_last_3,
        count(*) FILTER (WHERE p.game_id IS NULL) AS team_games_missed_last_5
    FROM recent_team_games r
    LEFT JOIN played p ON p.player_id = r.player_id AND p.game_id = r.game_id
    GROUP BY ALL
)
SELECT
    t.cache_date, t.player_id, t.team, t.season, t.season_year,
    coalesce(w.games_played, 0) AS games_played,
    /* FORM COLUMNS */,
    w.usage_rate_last_7, w.minutes_avg_season, w.last_played_date, w.points_last_game, w.minutes_last_game,
    w.started_last_game,
    a.team_games_missed_last_3, a.team_games_missed_last_5,
    tc.pace_l10 AS team_pace_last_10, tc.offensive_rating_l10 AS team_off_rating_last_10
FROM targets t
LEFT JOIN windows w USING (player_id, cache_date)
LEFT JOIN availability a USING (player_id, cache_date)
LEFT JOIN (
    SELECT team, game_date, any_value(pace_l10) AS pace_l10, any_value(offensive_rating_l10) AS offensive_rating_l10
    FROM analytics.upcoming_team_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
    GROUP BY ALL
) tc ON tc.team = t.team AND tc.game_date = t.cache_date
