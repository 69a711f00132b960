-- analytics.team_defense_game_summary: one row per (game_id, team), what the team allowed: its opponent's offense
-- from analytics.team_offense_game_summary, seen from the defending side (SPEC section 3: DRtg = 100 * oppPTS /
-- poss, where poss is the game's two-team estimate, the same on both teams' rows).
SELECT
    d.game_id, d.game_date, d.season, d.season_year, d.game_type, d.game_code, d.team, d.opponent, d.is_home,
    o.source,
    o.pts AS opp_pts, o.fgm AS opp_fgm, o.fga AS opp_fga, o.fg3m AS opp_fg3m, o.fg3a AS opp_fg3a,
    o.ftm AS opp_ftm, o.fta AS opp_fta, o.oreb AS opp_oreb, o.dreb AS opp_dreb, o.reb AS opp_reb,
    o.ast AS opp_ast, o.tov AS opp_tov,
    d.stl, d.blk, d.dreb, d.pf,
    d.win, d.margin, d.team_minutes, d.ot_periods,
    o.possessions AS opp_possessions, o.possessions_missing,
    o.pace AS opp_pace,
    100 * o.pts / nullif(o.possessions, 0) AS defensive_rating,
    o.efg_pct AS opp_efg_pct, o.ts_pct AS opp_ts_pct,
    o.paint_fga AS paint_fga_allowed, o.paint_fgm AS paint_fgm_allowed,
    o.mid_range_fga AS mid_range_fga_allowed, o.mid_range_fgm AS mid_range_fgm_allowed,
    o.three_fga AS three_fga_allowed, o.three_fgm AS three_fgm_allowed,
    -- whether the opponent totals used here equal the sum of the opponent's players
    o.players_sum_matches, o.players_sum_mismatch
FROM analytics.team_offense_game_summary d
JOIN analytics.team_offense_game_summary o ON o.game_id = d.game_id AND o.team = d.opponent
WHERE d.game_date BETWEEN $start_date AND $end_date
