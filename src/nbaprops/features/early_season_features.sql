-- features.early_season_features: the feature-store columns for the scheduled player-games the feature store has no
-- row for - every candidate of a bootstrap day (the phase-4 tables keep their bootstrap) and, on later days, a
-- player's first game of the season, with a new team or back from an absence - plus flags saying how much of the
-- current season's evidence is behind them. Everything is read strictly before the game's date (prop lines: the
-- snapshots before tip-off); no active list is read, so live and oracle availability give the same rows.
--
-- Who: on a bootstrap day, every player who appeared for the team earlier this season and whose latest appearance
-- was for it; on every day, every player on the game's injury report, and every player with a points line for the
-- game whose latest appearance (any season) was for one of its two teams. A lined player who last appeared for
-- neither (a rookie, an off-season trade) and is not on the injury report has no team a run could know: no row. On
-- a later day, a player the player context already has (he has a feature-store row) gets none either.
--
-- Form: each window of the player's played games this season (precompute/form_windows.py, which the daily cache
-- computes too; version 5 adds threes, 3PA, rebounds, assists, PRA and the season 3P% shrunk toward the league's) is
-- shrunk toward his prior - the same statistic over his latest earlier season with played games - with the weight
-- n / (n + k) on the current season's n games (k: early_season_features.py): the prior alone on opening night,
-- mostly his own season after a few weeks. A player without an earlier season in the warehouse is shrunk toward
-- the rookie prior: the statistic over every player-game of the earlier seasons' first-season players (none in the
-- warehouse's first season, which cannot tell a rookie from a veteran). Features no pre-game source here gives
-- (composite factors, zones, opponent defence, teammates out, tonight's availability) are NULL.
WITH games AS (
    SELECT c.game_id, c.game_date, c.season, c.season_year, c.game_type, c.team, c.opponent, c.is_home,
        c.win_pct AS team_win_pct, c.opponent_win_pct, c.pace_l10 AS team_pace_last_10,
        c.offensive_rating_l10 AS team_off_rating_last_10,
        coalesce(c.game_date - s.season_start BETWEEN 0 AND $bootstrap_days - 1, false) AS is_bootstrap
    FROM analytics.upcoming_team_game_context c
    LEFT JOIN raw.season_starts s ON s.season_year = c.season_year
    WHERE c.game_date BETWEEN $start_date AND $end_date
),
history AS (
    SELECT game_id AS played_game_id, game_date, season_year, team, player_id, player_name, status, pts,
        fixed_point(minutes) AS minutes, coalesce(starter, false)::INTEGER AS started,
        fixed_point(usage_rate) AS usage_rate, fga, fta, ftm, fg3m, fg3a, reb, ast
    FROM analytics.player_game_summary
    WHERE game_date < $end_date
),
played AS (SELECT * EXCLUDE (status) FROM history WHERE status = 'active'),
lines AS (
    SELECT * FROM prop_line_before_tipoff('player_points', $bookmaker_priority, $start_date, $end_date)
    WHERE game_date BETWEEN $start_date AND $end_date
),
injured AS (
    SELECT DISTINCT game_id, team, player_id FROM raw.injuries
    WHERE game_date BETWEEN $start_date AND $end_date AND game_id IS NOT NULL AND player_id IS NOT NULL
),
appeared AS (
    -- bootstrap days: who appeared for the team earlier this season
    SELECT DISTINCT g.game_id, g.game_date, g.team, h.player_id
    FROM games g
    JOIN history h ON h.team = g.team AND h.season_year = g.season_year AND h.game_date < g.game_date
    WHERE g.is_bootstrap
),
lined AS (SELECT l.game_id, l.game_date, l.player_id FROM lines l),
candidates AS (
    -- a candidate's team is the one he last appeared for before the date (any season), or the injury report's
    SELECT a.game_id, a.team, a.player_id
    FROM appeared a
    ASOF JOIN history h ON h.player_id = a.player_id AND h.game_date < a.game_date
    WHERE h.team = a.team
    UNION
    SELECT game_id, team, player_id FROM injured
    UNION
    SELECT l.game_id, h.team, l.player_id
    FROM lined l
    ASOF JOIN history h ON h.player_id = l.player_id AND h.game_date < l.game_date
    WHERE NOT EXISTS (SELECT 1 FROM injured i WHERE i.game_id = l.game_id AND i.player_id = l.player_id)
),
targets AS (
    SELECT g.*, c.player_id
    FROM games g
    JOIN candidates c ON c.game_id = g.game_id AND c.team = g.team
    WHERE g.is_bootstrap OR NOT EXISTS (
        SELECT 1 FROM analytics.upcoming_player_game_context x
        WHERE x.game_date BETWEEN $start_date AND $end_date AND x.game_id = c.game_id AND x.player_id = c.player_id)
),
prior_season AS (
    -- the player's latest earlier season with played games
    SELECT t.game_id, t.player_id, max(p.season_year) AS prior_season_year
    FROM targets t JOIN played p ON p.player_id = t.player_id AND p.season_year < t.season_year
    GROUP BY ALL
),
first_seasons AS (
    -- players whose first season in the warehouse is not its first season: rookies, as far as the corpus can tell
    SELECT player_id, min(season_year) AS season_year FROM played GROUP BY player_id
    HAVING min(season_year) > (SELECT min(season_year) FROM played)
),
evidence AS (
    -- One evidence set per target and kind: "current" (his season before the date, `recent` counting back from his
    -- latest game) and "prior" (his latest earlier season), plus one "rookie:<season>" set per target season. A
    -- prior is a level, not a streak: each of its windows is the whole season (`recent` = 1).
    SELECT t.game_id, t.player_id, 'current' AS kind, p.* EXCLUDE (player_id),
        row_number() OVER (PARTITION BY t.game_id, t.player_id ORDER BY p.game_date DESC, p.played_game_id)
            AS recent
    FROM targets t
    JOIN played p ON p.player_id = t.player_id AND p.season_year = t.season_year AND p.game_date < t.game_date
    UNION ALL  -- the branches list the same columns in the same order (Spark has no BY NAME)
    SELECT s.game_id, s.player_id, 'prior' AS kind, p.* EXCLUDE (player_id), 1 AS recent
    FROM prior_season s
    JOIN played p ON p.player_id = s.player_id AND p.season_year = s.prior_season_year
    UNION ALL
    SELECT NULL AS game_id, NULL::BIGINT AS player_id, 'rookie:' || s.season_year AS kind, p.* EXCLUDE (player_id),
        1 AS recent
    FROM (SELECT DISTINCT season_year FROM targets) s
    JOIN first_seasons f ON f.season_year < s.season_year
    JOIN played p ON p.player_id = f.player_id AND p.season_year = f.season_year
),
windows AS (
    -- the daily cache's windows over one evidence set (declared once in precompute/form_windows.py)
    SELECT game_id, player_id, kind,
        count(*) AS games,
        /* FORM WINDOWS */
    FROM evidence
    GROUP BY ALL
),
league AS (/* LEAGUE FG3 PCT */),
last_game AS (
    -- his latest played game before the date (any season), his rest and workload this season
    SELECT t.game_id, t.player_id, arg_max(p.pts, p.game_date) AS points_last_game,
        arg_max(p.minutes, p.game_date) AS minutes_last_game, arg_max(p.started, p.game_date) AS started_last_game,
        t.game_date - max(p.game_date) FILTER (WHERE p.season_year = t.season_year) AS days_rest,
        count(*) FILTER (WHERE p.season_year = t.season_year AND p.game_date >= t.game_date - 7) AS games_last_7_days
    FROM targets t JOIN played p ON p.player_id = t.player_id AND p.game_date < t.game_date
    GROUP BY t.game_id, t.player_id, t.game_date, t.season_year
),
team_games AS (
    -- the team's last 5 games of the season before the date, and whether he played each
    SELECT game_id, player_id,
        count(*) FILTER (WHERE recency <= 3 AND NOT played) AS team_games_missed_last_3,
        count(*) FILTER (WHERE NOT played) AS team_games_missed_last_5,
        bool_or(recency = 1 AND played) AS played_last_team_game
    FROM (
        SELECT t.game_id, t.player_id,
            row_number() OVER (PARTITION BY t.game_id, t.player_id ORDER BY g.game_date DESC) AS recency,
            p.player_id IS NOT NULL AS played
        FROM targets t
        JOIN (SELECT DISTINCT team, season_year, played_game_id, game_date FROM history) g
          ON g.team = t.team AND g.season_year = t.season_year AND g.game_date < t.game_date
        LEFT JOIN played p ON p.played_game_id = g.played_game_id AND p.player_id = t.player_id
        QUALIFY recency <= 5
    )
    GROUP BY ALL
),
vs_opponent AS (
    -- every earlier played game against this opponent (any season), as the feature store has it
    SELECT t.game_id, t.player_id, avg(p.pts) AS avg_points_vs_opponent
    FROM targets t
    JOIN played p ON p.player_id = t.player_id AND p.game_date < t.game_date
    JOIN (SELECT DISTINCT played_game_id, team FROM history) o ON o.played_game_id = p.played_game_id
      AND o.team = t.opponent
    GROUP BY ALL
),
latest_box AS (
    -- the box-score source of his latest played game (any season): the feature store's box_source, which marks
    -- live-loaded rows too; early-season rows lean on earlier seasons, which the archive holds
    SELECT t.game_id, t.player_id, p.source AS box_source
    FROM targets t
    ASOF JOIN (SELECT player_id, game_date, source FROM analytics.player_game_summary
               WHERE status = 'active' AND game_date < $end_date) p
      ON p.player_id = t.player_id AND p.game_date < t.game_date
),
weighted AS (
    SELECT t.*, a.player_name, coalesce(lb.box_source, 'none') AS box_source,
        coalesce(cur.games, 0) AS current_season_games,
        pri.games IS NOT NULL AS has_prior_season,
        coalesce(pri.games, 0) AS prior_season_games,
        pri.games IS NULL AND rk.games IS NOT NULL AS is_rookie_prior,
        -- the current season's weight n / (n + k); 1 when there is no prior at all
        CASE WHEN coalesce(pri.games, rk.games) IS NULL THEN 1.0
             ELSE coalesce(cur.games, 0) / (coalesce(cur.games, 0) + $early_season_k) END AS current_weight,
        /* FORM COLUMNS */,
        l.points_last_game, l.minutes_last_game, l.started_last_game, l.days_rest, l.games_last_7_days,
        tg.team_games_missed_last_3, tg.team_games_missed_last_5, tg.played_last_team_game,
        v.avg_points_vs_opponent,
        ln.opening_line, ln.latest_line AS prop_line, ln.latest_line - ln.opening_line AS line_movement,
        ln.line_bookmaker, ln.game_id IS NOT NULL AS has_prop_line
    FROM targets t
    LEFT JOIN windows cur ON cur.game_id = t.game_id AND cur.player_id = t.player_id AND cur.kind = 'current'
    LEFT JOIN windows pri ON pri.game_id = t.game_id AND pri.player_id = t.player_id AND pri.kind = 'prior'
    LEFT JOIN windows rk ON rk.kind = 'rookie:' || t.season_year
    LEFT JOIN last_game l ON l.game_id = t.game_id AND l.player_id = t.player_id
    LEFT JOIN team_games tg ON tg.game_id = t.game_id AND tg.player_id = t.player_id
    LEFT JOIN vs_opponent v ON v.game_id = t.game_id AND v.player_id = t.player_id
    LEFT JOIN lines ln ON ln.game_id = t.game_id AND ln.player_id = t.player_id
    LEFT JOIN latest_box lb ON lb.game_id = t.game_id AND lb.player_id = t.player_id
    LEFT JOIN league lg ON lg.game_date = t.game_date
    ASOF LEFT JOIN history a ON a.player_id = t.player_id AND a.game_date < t.game_date
),
shrunk AS (
    SELECT * EXCLUDE (/* FORM COLUMN NAMES */),
        /* SHRUNK FORM */
    FROM weighted
)

-- The feature sources (NULL where nothing pre-game gives one; the declarations add defaults), the flags, and the
-- feature store's context columns.
SELECT *,
    current_season_games AS games_played_season,
    days_rest = 1 AS back_to_back,
    minutes_avg_last_3 - minutes_avg_last_10 AS minutes_trend,
    CAST(NULL AS DOUBLE) AS fatigue_score, CAST(NULL AS DOUBLE) AS shot_zone_mismatch_score,
    CAST(NULL AS DOUBLE) AS pace_score, CAST(NULL AS DOUBLE) AS usage_spike_score,
    CAST(NULL AS DOUBLE) AS opponent_def_rating_last_15, CAST(NULL AS DOUBLE) AS opponent_pace_last_15,
    CAST(NULL AS DOUBLE) AS opponent_fg3a_allowed_last_15, CAST(NULL AS DOUBLE) AS opponent_fg3_pct_allowed_last_15,
    CAST(NULL AS DOUBLE) AS opponent_rebounds_allowed_last_15, CAST(NULL AS DOUBLE) AS opponent_assists_allowed_last_15,
    CAST(NULL AS DOUBLE) AS pct_paint, CAST(NULL AS DOUBLE) AS pct_mid_range, CAST(NULL AS DOUBLE) AS pct_three,
    CAST(NULL AS DOUBLE) AS assisted_rate,
    CAST(NULL AS INTEGER) AS star_teammates_out, CAST(NULL AS DOUBLE) AS teammate_minutes_out,
    CAST(NULL AS DOUBLE) AS teammate_points_out, CAST(NULL AS DOUBLE) AS teammate_minutes_back,
    CAST(NULL AS DOUBLE) AS teammate_minutes_out_tonight, CAST(NULL AS DOUBLE) AS teammate_points_out_tonight,
    CAST(NULL AS INTEGER) AS available_teammates, CAST(NULL AS DOUBLE) AS projected_minutes,
    CAST(NULL AS DOUBLE) AS points_share_available,
    true AS is_early_season,
    CASE WHEN is_bootstrap THEN 'bootstrap_day' WHEN current_season_games = 0 THEN 'first_game_of_season'
         ELSE 'new_to_team_or_returning' END AS early_season_reason,
    CASE WHEN current_season_games = 0 THEN 'prior' ELSE 'shrunk_prior' END AS form_source,
    'none' AS factors_source, 'none' AS opponent_source, 'none' AS zones_source,
    CASE WHEN has_prop_line THEN 'prop_lines' ELSE 'none' END AS line_source,
    'last_team_game' AS availability_source
FROM shrunk
