-- precompute.player_daily_cache: one row per player scheduled to play on a date (the player context's rows), with
-- windows over that player's PLAYED games strictly before the date in the same season (SPEC section 5). DNP and
-- inactive rows never enter an average. Team pace and ORtg L10 come from the team context (also strictly before).
-- Role and availability (feature version 2): the last game and the last 3, starts, minutes spread, shot volume, and
-- how many of the player's team's earlier games (same season, strictly before the date) he did not play.
WITH targets AS (
    SELECT DISTINCT player_id, team, game_date AS cache_date, season, season_year
    FROM analytics.upcoming_player_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
played AS (
    SELECT player_id, game_id, game_date, season_year, pts, minutes, starter, usage_rate, ts_pct, fga, fta, ftm, tov
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
        avg(pts) FILTER (WHERE games_ago <= 5) AS points_avg_last_5,
        avg(pts) FILTER (WHERE games_ago <= 10) AS points_avg_last_10,
        avg(pts) AS points_avg_season,
        stddev_samp(pts) FILTER (WHERE games_ago <= 10) AS points_std_last_10,
        avg(minutes) FILTER (WHERE games_ago <= 10) AS minutes_avg_last_10,
        sum(pts) FILTER (WHERE games_ago <= 10) / nullif(sum(minutes) FILTER (WHERE games_ago <= 10), 0)
            AS points_per_minute_last_10,
        avg(usage_rate) FILTER (WHERE games_ago <= 7) AS usage_rate_last_7,
        avg(usage_rate) FILTER (WHERE games_ago <= 10) AS usage_rate_last_10,
        -- TS% over the window's totals, not the mean of per-game percentages
        sum(pts) FILTER (WHERE games_ago <= 10)
            / nullif(2 * (sum(fga) FILTER (WHERE games_ago <= 10) + 0.44 * sum(fta) FILTER (WHERE games_ago <= 10)), 0)
            AS ts_pct_last_10,
        sum(ftm) FILTER (WHERE games_ago <= 10) / nullif(sum(pts) FILTER (WHERE games_ago <= 10), 0)
            AS ft_share_of_points_last_10,
        max(game_date) AS last_played_date,
        any_value(pts) FILTER (WHERE games_ago = 1) AS points_last_game,
        any_value(minutes) FILTER (WHERE games_ago = 1) AS minutes_last_game,
        any_value(coalesce(starter, false)::INTEGER) FILTER (WHERE games_ago = 1) AS started_last_game,
        avg(pts) FILTER (WHERE games_ago <= 3) AS points_avg_last_3,
        avg(minutes) FILTER (WHERE games_ago <= 3) AS minutes_avg_last_3,
        avg(minutes) AS minutes_avg_season,
        stddev_samp(minutes) FILTER (WHERE games_ago <= 10) AS minutes_std_last_10,
        avg(coalesce(starter, false)::INTEGER) FILTER (WHERE games_ago <= 5) AS starter_share_last_5,
        avg(coalesce(starter, false)::INTEGER) FILTER (WHERE games_ago <= 10) AS starter_share_last_10,
        avg(fga) FILTER (WHERE games_ago <= 10) AS fga_avg_last_10,
        avg(fta) FILTER (WHERE games_ago <= 10) AS fta_avg_last_10,
        -- exponentially weighted over the season, each earlier game weighing 0.8 of the next
        sum(pts * pow(0.8, games_ago - 1)) / sum(pow(0.8, games_ago - 1)) AS points_ewm,
        sum(minutes * pow(0.8, games_ago - 1)) / sum(pow(0.8, games_ago - 1)) AS minutes_ewm,
        -- medians: what an L1 model predicts, and robust to the one 40-point night
        median(pts) FILTER (WHERE games_ago <= 10) AS points_median_last_10,
        median(pts) AS points_median_season,
        median(minutes) FILTER (WHERE games_ago <= 10) AS minutes_median_last_10
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
    w.points_avg_last_5, w.points_avg_last_10, w.points_avg_season, w.points_std_last_10,
    w.minutes_avg_last_10, w.points_per_minute_last_10, w.usage_rate_last_7, w.usage_rate_last_10,
    w.ts_pct_last_10, w.ft_share_of_points_last_10, w.last_played_date,
    w.points_last_game, w.minutes_last_game, w.started_last_game, w.points_avg_last_3, w.minutes_avg_last_3,
    w.minutes_avg_season, w.minutes_std_last_10, w.starter_share_last_5, w.starter_share_last_10,
    w.fga_avg_last_10, w.fta_avg_last_10, w.points_ewm, w.minutes_ewm,
    w.points_median_last_10, w.points_median_season, w.minutes_median_last_10,
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
