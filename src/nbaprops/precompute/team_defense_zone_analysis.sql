-- precompute.team_defense_zone_analysis: one row per team playing on an analysis date, over the team's last 15
-- games strictly before that date in the same season (SPEC section 5). Zone figures use the games whose zones are
-- known; "vs league" is the team's FG% allowed minus the league's over the same season-to-date, in percentage
-- points (positive = the zone is easier to score in against this team). Version 5 (issue #16's markets): the box
-- score's threes, rebounds and assists the team allowed per game over the same window (threes NULL where the box
-- source has no splits: 2025-26's archive game logs).
WITH targets AS (
    SELECT DISTINCT team, game_date AS analysis_date, season, season_year
    FROM analytics.upcoming_team_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
games AS (
    SELECT team, game_date, season_year, defensive_rating, opp_pace, opp_fg3m, opp_fg3a, opp_reb, opp_ast,
        paint_fga_allowed, paint_fgm_allowed, mid_range_fga_allowed, mid_range_fgm_allowed,
        three_fga_allowed, three_fgm_allowed
    FROM analytics.team_defense_game_summary
    WHERE game_date < $end_date AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
),
last_15 AS (
    SELECT t.team, t.analysis_date, g.*,
        row_number() OVER (PARTITION BY t.team, t.analysis_date ORDER BY g.game_date DESC) AS games_ago
    FROM targets t
    JOIN games g ON g.team = t.team AND g.season_year = t.season_year AND g.game_date < t.analysis_date
    QUALIFY games_ago <= 15
),
team_window AS (
    SELECT team, analysis_date,
        count(*) AS games_in_window,
        count(paint_fga_allowed) AS zone_games_in_window,
        avg(defensive_rating) AS def_rating_last_15,
        avg(opp_pace) AS opponent_pace_last_15,
        avg(opp_fg3a) AS fg3a_allowed_last_15,
        sum(opp_fg3m) / nullif(sum(opp_fg3a), 0) AS fg3_pct_allowed_last_15,
        avg(opp_reb) AS rebounds_allowed_last_15,
        avg(opp_ast) AS assists_allowed_last_15,
        sum(paint_fgm_allowed) / nullif(sum(paint_fga_allowed), 0) AS paint_fg_pct_allowed,
        sum(mid_range_fgm_allowed) / nullif(sum(mid_range_fga_allowed), 0) AS mid_range_fg_pct_allowed,
        sum(three_fgm_allowed) / nullif(sum(three_fga_allowed), 0) AS three_fg_pct_allowed,
        avg(paint_fga_allowed) AS paint_fga_allowed_per_game,
        avg(mid_range_fga_allowed) AS mid_range_fga_allowed_per_game,
        avg(three_fga_allowed) AS three_fga_allowed_per_game,
        avg(2 * paint_fgm_allowed) AS paint_pts_allowed_per_game,
        avg(2 * mid_range_fgm_allowed) AS mid_range_pts_allowed_per_game,
        avg(3 * three_fgm_allowed) AS three_pts_allowed_per_game
    FROM last_15
    GROUP BY ALL
),
league AS (
    SELECT d.analysis_date,
        sum(g.paint_fgm_allowed) / nullif(sum(g.paint_fga_allowed), 0) AS league_paint_fg_pct,
        sum(g.mid_range_fgm_allowed) / nullif(sum(g.mid_range_fga_allowed), 0) AS league_mid_range_fg_pct,
        sum(g.three_fgm_allowed) / nullif(sum(g.three_fga_allowed), 0) AS league_three_fg_pct,
        avg(g.opp_pace) AS league_pace
    FROM (SELECT DISTINCT analysis_date, season_year FROM targets) d
    JOIN games g ON g.season_year = d.season_year AND g.game_date < d.analysis_date
    GROUP BY ALL
),
compared AS (
    SELECT t.analysis_date, t.team, t.season, t.season_year,
        coalesce(w.games_in_window, 0) AS games_in_window, coalesce(w.zone_games_in_window, 0) AS zone_games_in_window,
        w.def_rating_last_15, w.opponent_pace_last_15, l.league_pace,
        w.fg3a_allowed_last_15, w.fg3_pct_allowed_last_15, w.rebounds_allowed_last_15, w.assists_allowed_last_15,
        w.paint_fg_pct_allowed, w.mid_range_fg_pct_allowed, w.three_fg_pct_allowed,
        w.paint_fga_allowed_per_game, w.mid_range_fga_allowed_per_game, w.three_fga_allowed_per_game,
        w.paint_pts_allowed_per_game, w.mid_range_pts_allowed_per_game, w.three_pts_allowed_per_game,
        l.league_paint_fg_pct, l.league_mid_range_fg_pct, l.league_three_fg_pct,
        100 * (w.paint_fg_pct_allowed - l.league_paint_fg_pct) AS paint_vs_league,
        100 * (w.mid_range_fg_pct_allowed - l.league_mid_range_fg_pct) AS mid_range_vs_league,
        100 * (w.three_fg_pct_allowed - l.league_three_fg_pct) AS three_vs_league
    FROM targets t
    LEFT JOIN team_window w USING (team, analysis_date)
    LEFT JOIN league l USING (analysis_date)
)
SELECT *,
    -- strongest zone: where the team allows the least vs the league; weakest: the most
    CASE WHEN paint_vs_league IS NULL THEN NULL
         WHEN paint_vs_league <= mid_range_vs_league AND paint_vs_league <= three_vs_league THEN 'paint'
         WHEN mid_range_vs_league <= three_vs_league THEN 'mid_range' ELSE 'three' END AS strongest_zone,
    CASE WHEN paint_vs_league IS NULL THEN NULL
         WHEN paint_vs_league >= mid_range_vs_league AND paint_vs_league >= three_vs_league THEN 'paint'
         WHEN mid_range_vs_league >= three_vs_league THEN 'mid_range' ELSE 'three' END AS weakest_zone
FROM compared
