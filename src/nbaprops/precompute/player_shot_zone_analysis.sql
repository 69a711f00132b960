-- precompute.player_shot_zone_analysis: one row per player scheduled on an analysis date, over his played games
-- with known zones strictly before that date in the same season (SPEC section 5). Early in a season a window needs
-- min(3 + days since the season start / 3, 9) games (`meets_min_games`). The archive has no assist data per shot,
-- so assisted_rate stays NULL (the feature store counts it as defaulted).
WITH targets AS (
    SELECT DISTINCT c.player_id, c.game_date AS analysis_date, c.season, c.season_year,
        least(3 + (c.game_date - s.season_start) // 3, 9) AS min_games
    FROM analytics.upcoming_player_game_context c
    LEFT JOIN raw.season_starts s USING (season_year)
    WHERE c.game_date BETWEEN $start_date AND $end_date
),
games AS (
    SELECT player_id, game_date, season_year, paint_fga, paint_fgm, mid_range_fga, mid_range_fgm, three_fga, three_fgm
    FROM analytics.player_game_summary
    WHERE status = 'active' AND paint_fga IS NOT NULL AND game_date < $end_date
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
),
last_20 AS (
    SELECT t.player_id, t.analysis_date, g.*,
        row_number() OVER (PARTITION BY t.player_id, t.analysis_date ORDER BY g.game_date DESC) AS games_ago
    FROM targets t
    JOIN games g ON g.player_id = t.player_id AND g.season_year = t.season_year AND g.game_date < t.analysis_date
    QUALIFY games_ago <= 20
),
windows AS (
    SELECT player_id, analysis_date,
        count(*) FILTER (WHERE games_ago <= 10) AS games_last_10,
        count(*) AS games_last_20,
        sum(paint_fga) FILTER (WHERE games_ago <= 10) AS paint_fga_10,
        sum(paint_fgm) FILTER (WHERE games_ago <= 10) AS paint_fgm_10,
        sum(mid_range_fga) FILTER (WHERE games_ago <= 10) AS mid_fga_10,
        sum(mid_range_fgm) FILTER (WHERE games_ago <= 10) AS mid_fgm_10,
        sum(three_fga) FILTER (WHERE games_ago <= 10) AS three_fga_10,
        sum(three_fgm) FILTER (WHERE games_ago <= 10) AS three_fgm_10,
        sum(paint_fga) AS paint_fga_20, sum(paint_fgm) AS paint_fgm_20,
        sum(mid_range_fga) AS mid_fga_20, sum(mid_range_fgm) AS mid_fgm_20,
        sum(three_fga) AS three_fga_20, sum(three_fgm) AS three_fgm_20
    FROM last_20
    GROUP BY ALL
),
shares AS (
    SELECT t.analysis_date, t.player_id, t.season, t.season_year, t.min_games,
        coalesce(w.games_last_10, 0) AS games_last_10, coalesce(w.games_last_20, 0) AS games_last_20,
        w.paint_fga_10 / nullif(w.paint_fga_10 + w.mid_fga_10 + w.three_fga_10, 0) AS pct_paint_last_10,
        w.mid_fga_10 / nullif(w.paint_fga_10 + w.mid_fga_10 + w.three_fga_10, 0) AS pct_mid_range_last_10,
        w.three_fga_10 / nullif(w.paint_fga_10 + w.mid_fga_10 + w.three_fga_10, 0) AS pct_three_last_10,
        w.paint_fga_20 / nullif(w.paint_fga_20 + w.mid_fga_20 + w.three_fga_20, 0) AS pct_paint_last_20,
        w.mid_fga_20 / nullif(w.paint_fga_20 + w.mid_fga_20 + w.three_fga_20, 0) AS pct_mid_range_last_20,
        w.three_fga_20 / nullif(w.paint_fga_20 + w.mid_fga_20 + w.three_fga_20, 0) AS pct_three_last_20,
        w.paint_fgm_10 / nullif(w.paint_fga_10, 0) AS paint_fg_pct_last_10,
        w.mid_fgm_10 / nullif(w.mid_fga_10, 0) AS mid_range_fg_pct_last_10,
        w.three_fgm_10 / nullif(w.three_fga_10, 0) AS three_fg_pct_last_10,
        w.paint_fgm_20 / nullif(w.paint_fga_20, 0) AS paint_fg_pct_last_20,
        w.mid_fgm_20 / nullif(w.mid_fga_20, 0) AS mid_range_fg_pct_last_20,
        w.three_fgm_20 / nullif(w.three_fga_20, 0) AS three_fg_pct_last_20,
        w.paint_fga_10 / nullif(w.games_last_10, 0) AS paint_fga_per_game_last_10,
        w.mid_fga_10 / nullif(w.games_last_10, 0) AS mid_range_fga_per_game_last_10,
        w.three_fga_10 / nullif(w.games_last_10, 0) AS three_fga_per_game_last_10,
        CAST(NULL AS DOUBLE) AS assisted_rate_last_10
    FROM targets t
    LEFT JOIN windows w USING (player_id, analysis_date)
)
SELECT *,
    games_last_10 >= min_games AS meets_min_games,
    CASE WHEN pct_paint_last_10 IS NULL THEN NULL
         WHEN pct_paint_last_10 >= 0.40 THEN 'paint'
         WHEN pct_three_last_10 >= 0.40 THEN 'three'
         WHEN pct_mid_range_last_10 >= 0.35 THEN 'mid_range'
         ELSE 'balanced' END AS primary_zone
FROM shares
