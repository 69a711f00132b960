-- features.ml_feature_store v4: one row per (player, game) of the player context (played and future games). Every
-- input was computed from games strictly before the game's date. This SELECT gives each feature's source value
-- (NULL when its source had nothing: the value stays NULL, as it would when serving); the declarations in
-- ml_feature_store.py count the missing ones and write the final column list. Prop-line features are not counted
-- (has_prop_line says whether there is a line).
-- Version 2 adds role and availability: the last game and the last 3 played games, starts, minutes spread and trend,
-- shot volume, the team's recent games the player missed, and the minutes of teammates who missed the team's last
-- game (all from games strictly before the date).
-- Version 3 adds tonight's availability from the player context (the injury report, else "played the team's last
-- game"; the archive's active lists only in the backtest's oracle mode): the minutes and points of teammates out
-- tonight, the minutes the player would get if the team's 240 were shared by tonight's available players in
-- proportion to their recent minutes, and his share of their recent points.
-- Version 4 drops every made-up default (NULL stays NULL and is counted) and adds box_source: which box-score source
-- (and whether a live payload) gave the player's latest played game, so missing rates can be split by source.
-- Version 5 adds the threes, rebounds, assists and PRA markets' features (issue #16): the player's windows of those
-- stats, his season 3P% shrunk toward the league's, and what the opponent allowed over its last 15 games.
WITH ctx AS (
    SELECT game_id, game_date, season, season_year, game_type, team, opponent, player_id, player_name, is_home,
        days_rest, back_to_back, games_last_7_days, points_line, opening_line, line_movement, has_line,
        line_bookmaker, star_teammates_out, played_last_team_game, available_tonight, availability_source
    FROM analytics.upcoming_player_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
vs_opponent AS (
    -- every earlier played game against this opponent (any season): a matchup history, not a rolling window
    SELECT c.game_id, c.player_id, avg(p.pts) AS avg_points_vs_opponent, count(*) AS games_vs_opponent
    FROM ctx c
    JOIN analytics.player_game_summary p
      ON p.player_id = c.player_id AND p.opponent = c.opponent AND p.status = 'active' AND p.game_date < c.game_date
    GROUP BY ALL
),
latest_box AS (
    -- The source of the player's latest played game this season before the date, " (live)" when its box row was
    -- loaded from a live payload (raw rows of a live request are named by its URL, see raw/live.py).
    SELECT c.game_id, c.player_id,
        p.source || CASE WHEN bool_or(b.source_file LIKE 'http%') THEN ' (live)' ELSE '' END AS box_source
    FROM ctx c
    ASOF JOIN (SELECT player_id, season_year, game_id, game_date, source FROM analytics.player_game_summary
               WHERE status = 'active' AND game_date < $end_date) p
      ON p.player_id = c.player_id AND p.season_year = c.season_year AND p.game_date < c.game_date
    LEFT JOIN raw.player_boxscores b ON b.game_id = p.game_id AND b.player_id = p.player_id AND b.source = p.source
    GROUP BY c.game_id, c.player_id, p.source
),
league AS (/* LEAGUE FG3 PCT */),
joined AS (
    SELECT c.*,
        k.points_avg_last_5, k.points_avg_last_10, k.points_avg_season, k.points_std_last_10,
        k.minutes_avg_last_10, k.points_per_minute_last_10, k.usage_rate_last_10, k.ts_pct_last_10,
        k.ft_share_of_points_last_10 AS ft_share_of_points, k.games_played AS games_played_season,
        k.team_pace_last_10, k.team_off_rating_last_10,
        k.points_last_game, k.minutes_last_game, k.started_last_game, k.points_avg_last_3, k.minutes_avg_last_3,
        k.minutes_std_last_10, k.starter_share_last_5, k.starter_share_last_10, k.fga_avg_last_10, k.fta_avg_last_10,
        k.team_games_missed_last_3, k.team_games_missed_last_5, k.points_ewm, k.minutes_ewm,
        k.points_median_last_10, k.points_median_season, k.minutes_median_last_10,
        k.threes_avg_last_5, k.threes_avg_last_10, k.threes_avg_season, k.threes_std_last_10, k.fg3a_avg_last_10,
        k.fg3a_per_minute_last_10, fg3_pct_shrunk(k.fg3m_season, k.fg3a_season, lg.league_fg3_pct) AS fg3_pct_shrunk,
        k.rebounds_avg_last_5, k.rebounds_avg_last_10, k.rebounds_avg_season, k.rebounds_std_last_10,
        k.rebounds_per_minute_last_10, k.assists_avg_last_5, k.assists_avg_last_10, k.assists_avg_season,
        k.assists_std_last_10, k.assists_per_minute_last_10,
        k.pra_avg_last_5, k.pra_avg_last_10, k.pra_avg_season, k.pra_std_last_10,
        d.fg3a_allowed_last_15 AS opponent_fg3a_allowed_last_15,
        d.fg3_pct_allowed_last_15 AS opponent_fg3_pct_allowed_last_15,
        d.rebounds_allowed_last_15 AS opponent_rebounds_allowed_last_15,
        d.assists_allowed_last_15 AS opponent_assists_allowed_last_15,
        t.opponent_win_pct,
        k.minutes_avg_last_3 - k.minutes_avg_last_10 AS minutes_trend,
        f.fatigue_score, f.shot_zone_mismatch_score, f.pace_score, f.usage_spike_score,
        d.def_rating_last_15 AS opponent_def_rating_last_15, d.opponent_pace_last_15,
        CASE WHEN z.meets_min_games THEN z.pct_paint_last_10 END AS pct_paint,
        CASE WHEN z.meets_min_games THEN z.pct_mid_range_last_10 END AS pct_mid_range,
        CASE WHEN z.meets_min_games THEN z.pct_three_last_10 END AS pct_three,
        z.assisted_rate_last_10 AS assisted_rate,
        t.win_pct AS team_win_pct,
        v.avg_points_vs_opponent,
        coalesce(lb.box_source, 'none') AS box_source,
        coalesce((c.game_date - s.season_start) < $bootstrap_days AND (c.game_date - s.season_start) >= 0, false)
            AS is_bootstrap
    FROM ctx c
    LEFT JOIN precompute.player_daily_cache k ON k.player_id = c.player_id AND k.cache_date = c.game_date
    LEFT JOIN precompute.player_composite_factors f ON f.player_id = c.player_id AND f.game_id = c.game_id
    LEFT JOIN precompute.team_defense_zone_analysis d ON d.team = c.opponent AND d.analysis_date = c.game_date
    LEFT JOIN precompute.player_shot_zone_analysis z ON z.player_id = c.player_id AND z.analysis_date = c.game_date
    LEFT JOIN analytics.upcoming_team_game_context t ON t.game_id = c.game_id AND t.team = c.team
    LEFT JOIN vs_opponent v ON v.game_id = c.game_id AND v.player_id = c.player_id
    LEFT JOIN latest_box lb ON lb.game_id = c.game_id AND lb.player_id = c.player_id
    LEFT JOIN raw.season_starts s ON s.season_year = c.season_year
    LEFT JOIN league lg ON lg.game_date = c.game_date
),
flagged AS (
    -- Whom each teammate sum below counts. Out since the last game: missed the team's last game but played one of
    -- its 5 before (the minutes a recent absence frees). Back: played it after missing 2+ of the 5 (a returning
    -- teammate takes back minutes the recent averages were built on). Out tonight: unavailable tonight but played
    -- one of the last 5 (longer absences are already priced into everyone's averages). Available tonight.
    SELECT *,
        coalesce(NOT played_last_team_game AND team_games_missed_last_5 < 5, false)::INTEGER AS out_last_game,
        coalesce(played_last_team_game AND team_games_missed_last_5 >= 2, false)::INTEGER AS back_last_game,
        coalesce(NOT available_tonight AND team_games_missed_last_5 < 5, false)::INTEGER AS out_tonight,
        coalesce(available_tonight, false)::INTEGER AS available,
        coalesce(minutes_avg_last_10, 0) AS own_minutes, coalesce(points_avg_last_10, 0) AS own_points
    FROM joined
),
with_teammates AS (
    -- A teammate sum = the team-game's sum over the flagged players minus the player's own share. Stars out come
    -- from the player context.
    SELECT *,
        sum(own_minutes * out_last_game) OVER team_game - own_minutes * out_last_game AS teammate_minutes_out,
        sum(own_points * out_last_game) OVER team_game - own_points * out_last_game AS teammate_points_out,
        sum(own_minutes * back_last_game) OVER team_game - own_minutes * back_last_game AS teammate_minutes_back,
        -- v3, tonight
        sum(own_minutes * out_tonight) OVER team_game - own_minutes * out_tonight AS teammate_minutes_out_tonight,
        sum(own_points * out_tonight) OVER team_game - own_points * out_tonight AS teammate_points_out_tonight,
        sum(available) OVER team_game - available AS available_teammates,
        sum(own_minutes * available) OVER team_game - own_minutes * available AS available_teammate_minutes,
        sum(own_points * available) OVER team_game - own_points * available AS available_teammate_points
    FROM flagged
    WINDOW team_game AS (PARTITION BY game_id, team)
),
with_shares AS (
    -- "if he plays": his own recent minutes and points count once, whether or not he is listed available
    SELECT *,
        240 * minutes_avg_last_10 / nullif(available_teammate_minutes + minutes_avg_last_10, 0) AS projected_minutes,
        points_avg_last_10 / nullif(available_teammate_points + points_avg_last_10, 0) AS points_share_available
    FROM with_teammates
)

-- The feature values (one column per declared feature source), the context columns and where each family came
-- from ('missing' when its source had no row). The projection (the count of missing values, the quality score and
-- the feature version) is derived from the declarations in ml_feature_store.py.
SELECT *,
    points_line AS prop_line,
    coalesce(has_line, false) AS has_prop_line,
    CASE WHEN points_avg_season IS NULL THEN 'missing' ELSE 'player_daily_cache' END AS form_source,
    CASE WHEN fatigue_score IS NULL THEN 'missing' ELSE 'player_composite_factors' END AS factors_source,
    CASE WHEN opponent_def_rating_last_15 IS NULL THEN 'missing' ELSE 'team_defense_zone_analysis' END
        AS opponent_source,
    CASE WHEN pct_paint IS NULL THEN 'missing' ELSE 'player_shot_zone_analysis' END AS zones_source,
    CASE WHEN has_line THEN 'prop_lines' ELSE 'none' END AS line_source
FROM with_shares
