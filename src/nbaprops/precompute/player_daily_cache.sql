-- precompute.player_daily_cache: one row per player scheduled to play on a date (the player context's rows), with
-- windows over that player's PLAYED games strictly before the date in the same season (SPEC section 5). DNP and
-- inactive rows never enter an average. Team pace and ORtg L10 come from the team context (also strictly before).
WITH targets AS (
    SELECT DISTINCT player_id, team, game_date AS cache_date, season, season_year
    FROM analytics.upcoming_player_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
played AS (
    SELECT player_id, game_date, season_year, pts, minutes, usage_rate, ts_pct, fga, fta, ftm, tov
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
        max(game_date) AS last_played_date
    FROM history
    GROUP BY ALL
)
SELECT
    t.cache_date, t.player_id, t.team, t.season, t.season_year,
    coalesce(w.games_played, 0) AS games_played,
    w.points_avg_last_5, w.points_avg_last_10, w.points_avg_season, w.points_std_last_10,
    w.minutes_avg_last_10, w.points_per_minute_last_10, w.usage_rate_last_7, w.usage_rate_last_10,
    w.ts_pct_last_10, w.ft_share_of_points_last_10, w.last_played_date,
    tc.pace_l10 AS team_pace_last_10, tc.offensive_rating_l10 AS team_off_rating_last_10
FROM targets t
LEFT JOIN windows w USING (player_id, cache_date)
LEFT JOIN (
    SELECT team, game_date, any_value(pace_l10) AS pace_l10, any_value(offensive_rating_l10) AS offensive_rating_l10
    FROM analytics.upcoming_team_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
    GROUP BY ALL
) tc ON tc.team = t.team AND tc.game_date = t.cache_date
