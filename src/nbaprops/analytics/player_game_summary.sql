-- analytics.player_game_summary: one row per (game_id, player_id) per SPEC section 3.
-- Sources: per player-game the richest row, whatever its source: one with shooting splits first (Basketball-Reference
-- box, the live NBA.com game log and box score), Basketball-Reference before NBA.com (DNP rows with reasons); the
-- archive's NBA.com game log (no splits: shooting, usage and zones stay NULL) only where nothing richer exists.
-- Team totals come from the macro team_totals (the richest team row of the game, declared once); zones from the
-- game's raw.shots, whichever source loaded them (one source per game, see raw.live).
-- bbref rows whose player never resolved to an NBA id (a few players who never played) cannot be keyed and are left
-- out. Percentages are fractions (0.55); usage_rate is a percentage (0-100).
WITH box AS (
    -- has_splits: the row's source gives shooting splits (a DNP row of such a source has none to give)
    SELECT *, parse_minutes(minutes) AS mins, minutes_error(minutes) AS minutes_error,
        fga IS NOT NULL OR dnp_reason IS NOT NULL AS has_splits
    FROM raw.player_boxscores
    WHERE game_date BETWEEN $start_date AND $end_date AND player_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY game_id, player_id ORDER BY NOT has_splits, source <> 'bbref_box', source_file, source_line
    ) = 1
),
team_minutes AS (
    SELECT game_id, team, team_minutes_of(sum(fixed_point(mins))) AS team_minutes
    FROM box
    GROUP BY ALL
),
shots AS (
    -- Zones by NBA's basic zone; the shot type decides three vs two (a few 2PT attempts are tagged "Above the
    -- Break 3", a few 3PT ones "Mid-Range"), so zone attempts always add up to FGA and three_fga to FG3A.
    SELECT game_id, player_id, shot_made,
        CASE WHEN shot_value = 3 THEN 'three'
             WHEN basic_zone IN ('Restricted Area', 'In The Paint (Non-RA)') THEN 'paint'
             WHEN basic_zone IS NOT NULL THEN 'mid_range'
             WHEN shot_distance <= 8 THEN 'paint'  -- no zone given: SPEC's distance fallback
             ELSE 'mid_range' END AS zone
    FROM raw.shots
    WHERE game_date BETWEEN $start_date AND $end_date
),
shot_games AS (
    SELECT DISTINCT game_id FROM shots
),
zones AS (
    SELECT game_id, player_id,
        count(*) FILTER (WHERE zone = 'paint') AS paint_fga,
        count(*) FILTER (WHERE zone = 'paint' AND shot_made) AS paint_fgm,
        count(*) FILTER (WHERE zone = 'mid_range') AS mid_range_fga,
        count(*) FILTER (WHERE zone = 'mid_range' AND shot_made) AS mid_range_fgm,
        count(*) FILTER (WHERE zone = 'three') AS three_fga,
        count(*) FILTER (WHERE zone = 'three' AND shot_made) AS three_fgm
    FROM shots
    GROUP BY ALL
),
lines AS (
    SELECT game_id, player_id, latest_line AS points_line, line_bookmaker
    FROM prop_line_before_tipoff('player_points', $bookmaker_priority, $start_date, $end_date)
    WHERE game_date BETWEEN $start_date AND $end_date
),
rows AS (
    SELECT b.*, tm.team_minutes,
        t.fga AS team_fga, t.fta AS team_fta, t.tov AS team_tov,
        -- the corpus rule (macros.sql): played = no DNP reason, even at 0:00
        player_status(b.dnp_reason) AS status,
        sg.game_id IS NOT NULL AND b.has_splits AS has_zones
    FROM box b
    JOIN team_minutes tm USING (game_id, team)
    LEFT JOIN team_totals($start_date, $end_date) t ON t.game_id = b.game_id AND t.team = b.team
    LEFT JOIN shot_games sg ON sg.game_id = b.game_id
),
rated AS (
    SELECT r.*,
        100 * (r.fga + 0.44 * r.fta + r.tov) * (r.team_minutes / 5)
            / (nullif(r.mins, 0) * nullif(r.team_fga + 0.44 * r.team_fta + r.team_tov, 0)) AS usage_computed,
        CASE WHEN r.has_zones AND r.status = 'active' THEN coalesce(z.paint_fga, 0) END AS paint_fga,
        CASE WHEN r.has_zones AND r.status = 'active' THEN coalesce(z.paint_fgm, 0) END AS paint_fgm,
        CASE WHEN r.has_zones AND r.status = 'active' THEN coalesce(z.mid_range_fga, 0) END AS mid_range_fga,
        CASE WHEN r.has_zones AND r.status = 'active' THEN coalesce(z.mid_range_fgm, 0) END AS mid_range_fgm,
        CASE WHEN r.has_zones AND r.status = 'active' THEN coalesce(z.three_fga, 0) END AS three_fga,
        CASE WHEN r.has_zones AND r.status = 'active' THEN coalesce(z.three_fgm, 0) END AS three_fgm
    FROM rows r
    LEFT JOIN zones z USING (game_id, player_id)
),
graded AS (
    SELECT *,
        -- A usage above 100 cannot be true (the reference system stored 1228%): keep it out, say why.
        CASE WHEN usage_computed > 100
             THEN 'usage ' || round(usage_computed, 1) || ' > 100 with ' || round(mins, 2) || ' minutes' END
            AS usage_error,
        CASE WHEN NOT has_splits THEN 'bronze'
             WHEN status = 'active' AND paint_fga + mid_range_fga + three_fga IS DISTINCT FROM fga THEN 'silver'
             WHEN has_zones THEN 'gold'
             ELSE 'silver' END AS quality_tier
    FROM rated
)
SELECT
    g.game_id, g.game_date, g.season, g.season_year, g.game_type, g.game_code,
    g.team, g.opponent, g.is_home, g.player_id, g.player_name, g.player_lookup, g.bbref_player_id,
    g.source, g.quality_tier,
    -- gold 1.0 (splits with zones that add up), silver 0.75 (splits, no or incomplete zones), bronze 0.5 (no splits:
    -- the archive's NBA.com game log); a row with a reported data error loses 0.25.
    CAST(CASE g.quality_tier WHEN 'gold' THEN 1.0 WHEN 'silver' THEN 0.75 ELSE 0.5 END
        - CASE WHEN g.minutes_error IS NOT NULL OR g.usage_error IS NOT NULL THEN 0.25 ELSE 0 END AS DOUBLE)
        AS quality_score,
    g.status, g.dnp_reason,
    -- bbref's reasons are coarse: "Did Not Play" is a coach's decision unless reported otherwise, "Did Not Dress"
    -- is the inactive list (injury or illness), "Not With Team" is personal.
    CASE WHEN g.status = 'active' THEN NULL
         WHEN g.dnp_reason = 'Did Not Play' THEN 'coach_decision'
         WHEN g.dnp_reason = 'Did Not Dress' THEN 'injury'
         WHEN g.dnp_reason = 'Not With Team' THEN 'personal'
         ELSE 'other' END AS dnp_reason_category,
    g.starter, g.mins AS minutes, g.minutes_error,
    g.pts, g.fgm, g.fga, g.fg3m, g.fg3a, g.ftm, g.fta, g.oreb, g.dreb, g.reb, g.ast, g.stl, g.blk, g.tov, g.pf,
    g.plus_minus,
    (g.fgm + 0.5 * g.fg3m) / nullif(g.fga, 0) AS efg_pct,
    g.pts / nullif(2 * (g.fga + 0.44 * g.fta), 0) AS ts_pct,
    CASE WHEN g.usage_error IS NULL THEN g.usage_computed END AS usage_rate,
    g.usage_error, g.team_minutes,
    g.paint_fga, g.paint_fgm, g.mid_range_fga, g.mid_range_fgm, g.three_fga, g.three_fgm,
    l.points_line, l.line_bookmaker,
    CASE WHEN g.status <> 'active' OR l.points_line IS NULL THEN NULL
         WHEN g.pts > l.points_line THEN 'OVER'
         WHEN g.pts < l.points_line THEN 'UNDER'
         WHEN g.pts = l.points_line THEN 'PUSH' END AS over_under_result
FROM graded g
LEFT JOIN lines l USING (game_id, player_id)
