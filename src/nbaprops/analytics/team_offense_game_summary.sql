-- analytics.team_offense_game_summary: one row per (game_id, team), the team's own production (SPEC section 3).
-- Totals from the richest source of each team-game (macro team_totals, declared once): where only a slim game log
-- exists (points, rebounds, assists, steals, blocks, turnovers; no shooting), the shooting-based columns stay NULL.
WITH teams AS (
    SELECT * FROM team_totals($start_date, $end_date)
),
players AS (
    SELECT game_id, team, count(*) AS player_rows, count(*) FILTER (WHERE status = 'active') AS players_played,
        any_value(team_minutes) AS team_minutes,
        sum(pts) AS pts, sum(fgm) AS fgm, sum(fga) AS fga, sum(fta) AS fta, sum(oreb) AS oreb,
        count(*) FILTER (WHERE status = 'active' AND paint_fga IS NULL) = 0 AS zones_complete,
        CAST(sum(paint_fga) AS INTEGER) AS paint_fga, CAST(sum(paint_fgm) AS INTEGER) AS paint_fgm,
        CAST(sum(mid_range_fga) AS INTEGER) AS mid_range_fga, CAST(sum(mid_range_fgm) AS INTEGER) AS mid_range_fgm,
        CAST(sum(three_fga) AS INTEGER) AS three_fga, CAST(sum(three_fgm) AS INTEGER) AS three_fgm
    FROM analytics.player_game_summary
    WHERE game_date BETWEEN $start_date AND $end_date
    GROUP BY ALL
),
sides AS (
    SELECT t.*, o.pts AS opp_pts,
        -- Team minutes from the players' minutes; a game without player rows is 240 when the line score shows
        -- no overtime points, unknown otherwise (the count of overtimes is not recorded).
        coalesce(p.team_minutes, CASE WHEN l.pts_ot = 0 THEN 240 END) AS team_minutes,
        -- SPEC section 3: the mean of both teams' estimates, so both rows of a game carry the same possessions
        0.5 * (possession_estimate(t.fga, t.fgm, t.fta, t.oreb, o.dreb, t.tov)
               + possession_estimate(o.fga, o.fgm, o.fta, o.oreb, t.dreb, o.tov)) AS possessions,
        -- why possessions are NULL (never a stand-in constant): no opponent row, or a slim source without splits
        CASE WHEN o.team IS NULL THEN 'no row for opponent ' || t.opponent
             WHEN (t.fga + t.fgm + t.fta + t.oreb + t.dreb + t.tov + o.fga + o.fgm + o.fta + o.oreb + o.dreb + o.tov)
                 IS NULL  -- a sum is NULL when any term is
                 THEN 'no fga/fgm/fta/oreb/dreb/tov in ' || t.source || ' (team) or ' || o.source || ' (opponent)'
             WHEN t.oreb + o.dreb = 0 OR o.oreb + t.dreb = 0 THEN 'offensive plus defensive rebounds are 0'
        END AS possessions_missing,
        p.player_rows, p.players_played,
        -- zones only when every player who played has them and they add up to the team's FGA
        p.zones_complete AND p.paint_fga + p.mid_range_fga + p.three_fga = t.fga AS zones_complete,
        p.paint_fga, p.paint_fgm, p.mid_range_fga, p.mid_range_fgm, p.three_fga, p.three_fgm,
        -- Turnovers are not compared: team turnovers (shot clock, 8 seconds...) are charged to no player, so they
        -- add up in only about half the games (data README).
        CASE WHEN p.pts IS NULL THEN 'no player rows'
             ELSE nullif(concat_ws(', ',
                 stat_mismatch('pts', p.pts, t.pts), stat_mismatch('fgm', p.fgm, t.fgm),
                 stat_mismatch('fga', p.fga, t.fga), stat_mismatch('fta', p.fta, t.fta),
                 stat_mismatch('oreb', p.oreb, t.oreb)), '') END AS players_sum_mismatch
    FROM teams t
    LEFT JOIN teams o ON o.game_id = t.game_id AND o.team = t.opponent
    LEFT JOIN players p ON p.game_id = t.game_id AND p.team = t.team
    LEFT JOIN raw.linescores l ON l.game_id = t.game_id AND l.team = t.team
)
SELECT
    game_id, game_date, season, season_year, game_type, game_code, team, opponent, is_home, source,
    pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf, plus_minus,
    opp_pts, pts > opp_pts AS win, pts - opp_pts AS margin,
    team_minutes, CAST((team_minutes - 240) / 25 AS INTEGER) AS ot_periods,
    possessions, possessions_missing,
    48 * possessions / (team_minutes / 5) AS pace,
    100 * pts / nullif(possessions, 0) AS offensive_rating,
    (fgm + 0.5 * fg3m) / nullif(fga, 0) AS efg_pct,
    pts / nullif(2 * (fga + 0.44 * fta), 0) AS ts_pct,
    CASE WHEN zones_complete THEN paint_fga END AS paint_fga,
    CASE WHEN zones_complete THEN paint_fgm END AS paint_fgm,
    CASE WHEN zones_complete THEN mid_range_fga END AS mid_range_fga,
    CASE WHEN zones_complete THEN mid_range_fgm END AS mid_range_fgm,
    CASE WHEN zones_complete THEN three_fga END AS three_fga,
    CASE WHEN zones_complete THEN three_fgm END AS three_fgm,
    coalesce(player_rows, 0) AS player_rows, coalesce(players_played, 0) AS players_played,
    players_sum_mismatch IS NULL AS players_sum_matches, players_sum_mismatch
FROM sides
