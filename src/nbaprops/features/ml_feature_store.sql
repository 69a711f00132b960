-- features.ml_feature_store v3: one row per (player, game) of the player context (played and future games). Every
-- input was computed from games strictly before the game's date. Features with no source value take the default
-- below; default_feature_count and defaulted_features say which, and the *_source columns say where each family
-- came from. Prop-line features are never defaulted (has_prop_line says whether there is a line).
-- Version 2 adds role and availability: the last game and the last 3 played games, starts, minutes spread and trend,
-- shot volume, the team's recent games the player missed, and the minutes of teammates who missed the team's last
-- game (all from games strictly before the date).
-- Version 3 adds tonight's availability from the player context (the pre-game active list, else the injury report,
-- else "played the team's last game"): the minutes and points of teammates out tonight, the minutes the player
-- would get if the team's 240 were shared by tonight's available players in proportion to their recent minutes,
-- and his share of their recent points.
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
        (c.game_date - s.season_start) < $bootstrap_days AND (c.game_date - s.season_start) >= 0 AS is_bootstrap
    FROM ctx c
    LEFT JOIN precompute.player_daily_cache k ON k.player_id = c.player_id AND k.cache_date = c.game_date
    LEFT JOIN precompute.player_composite_factors f ON f.player_id = c.player_id AND f.game_id = c.game_id
    LEFT JOIN precompute.team_defense_zone_analysis d ON d.team = c.opponent AND d.analysis_date = c.game_date
    LEFT JOIN precompute.player_shot_zone_analysis z ON z.player_id = c.player_id AND z.analysis_date = c.game_date
    LEFT JOIN analytics.upcoming_team_game_context t ON t.game_id = c.game_id AND t.team = c.team
    LEFT JOIN vs_opponent v ON v.game_id = c.game_id AND v.player_id = c.player_id
    LEFT JOIN raw.season_starts s ON s.season_year = c.season_year
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
),
defaulted AS (
    -- The defaults: a bench player's typical line (10 points in 20 minutes), league-average rates and a rested,
    -- neutral matchup. Each NULL replaced is listed in defaulted_features.
    SELECT *,
        list_filter([
            CASE WHEN points_avg_last_5 IS NULL THEN 'points_avg_last_5' END,
            CASE WHEN points_avg_last_10 IS NULL THEN 'points_avg_last_10' END,
            CASE WHEN points_avg_season IS NULL THEN 'points_avg_season' END,
            CASE WHEN points_std_last_10 IS NULL THEN 'points_std_last_10' END,
            CASE WHEN minutes_avg_last_10 IS NULL THEN 'minutes_avg_last_10' END,
            CASE WHEN points_per_minute_last_10 IS NULL THEN 'points_per_minute_last_10' END,
            CASE WHEN usage_rate_last_10 IS NULL THEN 'usage_rate_last_10' END,
            CASE WHEN ts_pct_last_10 IS NULL THEN 'ts_pct_last_10' END,
            CASE WHEN days_rest IS NULL THEN 'days_rest' END,
            CASE WHEN fatigue_score IS NULL THEN 'fatigue_score' END,
            CASE WHEN shot_zone_mismatch_score IS NULL THEN 'shot_zone_mismatch_score' END,
            CASE WHEN pace_score IS NULL THEN 'pace_score' END,
            CASE WHEN usage_spike_score IS NULL THEN 'usage_spike_score' END,
            CASE WHEN opponent_def_rating_last_15 IS NULL THEN 'opponent_def_rating_last_15' END,
            CASE WHEN opponent_pace_last_15 IS NULL THEN 'opponent_pace_last_15' END,
            CASE WHEN pct_paint IS NULL THEN 'pct_paint' END,
            CASE WHEN pct_mid_range IS NULL THEN 'pct_mid_range' END,
            CASE WHEN pct_three IS NULL THEN 'pct_three' END,
            CASE WHEN ft_share_of_points IS NULL THEN 'ft_share_of_points' END,
            CASE WHEN assisted_rate IS NULL THEN 'assisted_rate' END,
            CASE WHEN team_pace_last_10 IS NULL THEN 'team_pace_last_10' END,
            CASE WHEN team_off_rating_last_10 IS NULL THEN 'team_off_rating_last_10' END,
            CASE WHEN team_win_pct IS NULL THEN 'team_win_pct' END,
            CASE WHEN avg_points_vs_opponent IS NULL THEN 'avg_points_vs_opponent' END,
            CASE WHEN points_last_game IS NULL THEN 'points_last_game' END,
            CASE WHEN minutes_last_game IS NULL THEN 'minutes_last_game' END,
            CASE WHEN started_last_game IS NULL THEN 'started_last_game' END,
            CASE WHEN points_avg_last_3 IS NULL THEN 'points_avg_last_3' END,
            CASE WHEN minutes_avg_last_3 IS NULL THEN 'minutes_avg_last_3' END,
            CASE WHEN minutes_trend IS NULL THEN 'minutes_trend' END,
            CASE WHEN minutes_std_last_10 IS NULL THEN 'minutes_std_last_10' END,
            CASE WHEN starter_share_last_5 IS NULL THEN 'starter_share_last_5' END,
            CASE WHEN starter_share_last_10 IS NULL THEN 'starter_share_last_10' END,
            CASE WHEN fga_avg_last_10 IS NULL THEN 'fga_avg_last_10' END,
            CASE WHEN fta_avg_last_10 IS NULL THEN 'fta_avg_last_10' END,
            CASE WHEN team_games_missed_last_3 IS NULL THEN 'team_games_missed_last_3' END,
            CASE WHEN team_games_missed_last_5 IS NULL THEN 'team_games_missed_last_5' END,
            CASE WHEN played_last_team_game IS NULL THEN 'played_last_team_game' END,
            CASE WHEN star_teammates_out IS NULL THEN 'star_teammates_out' END,
            CASE WHEN points_ewm IS NULL THEN 'points_ewm' END,
            CASE WHEN minutes_ewm IS NULL THEN 'minutes_ewm' END,
            CASE WHEN opponent_win_pct IS NULL THEN 'opponent_win_pct' END,
            CASE WHEN points_median_last_10 IS NULL THEN 'points_median_last_10' END,
            CASE WHEN points_median_season IS NULL THEN 'points_median_season' END,
            CASE WHEN minutes_median_last_10 IS NULL THEN 'minutes_median_last_10' END,
            CASE WHEN projected_minutes IS NULL THEN 'projected_minutes' END,
            CASE WHEN points_share_available IS NULL THEN 'points_share_available' END
        ], x -> x IS NOT NULL) AS defaulted_features
    FROM with_shares
)
SELECT
    game_id, game_date, season, season_year, game_type, player_id, player_name, team, opponent,
    3 AS feature_version,
    coalesce(points_avg_last_5, 10.0) AS points_avg_last_5,
    coalesce(points_avg_last_10, 10.0) AS points_avg_last_10,
    coalesce(points_avg_season, 10.0) AS points_avg_season,
    coalesce(points_std_last_10, 5.0) AS points_std_last_10,
    coalesce(minutes_avg_last_10, 20.0) AS minutes_avg_last_10,
    coalesce(points_per_minute_last_10, 0.5) AS points_per_minute_last_10,
    coalesce(usage_rate_last_10, 20.0) AS usage_rate_last_10,
    coalesce(ts_pct_last_10, 0.57) AS ts_pct_last_10,
    coalesce(games_last_7_days, 0) AS games_last_7_days,
    coalesce(days_rest, 3) AS days_rest,
    coalesce(back_to_back, false) AS back_to_back,
    is_home,
    coalesce(fatigue_score, 100.0) AS fatigue_score,
    coalesce(shot_zone_mismatch_score, 0.0) AS shot_zone_mismatch_score,
    coalesce(pace_score, 0.0) AS pace_score,
    coalesce(usage_spike_score, 0.0) AS usage_spike_score,
    coalesce(opponent_def_rating_last_15, 114.0) AS opponent_def_rating_last_15,
    coalesce(opponent_pace_last_15, 99.0) AS opponent_pace_last_15,
    coalesce(pct_paint, 0.40) AS pct_paint,
    coalesce(pct_mid_range, 0.20) AS pct_mid_range,
    coalesce(pct_three, 0.40) AS pct_three,
    coalesce(ft_share_of_points, 0.17) AS ft_share_of_points,
    coalesce(assisted_rate, 0.60) AS assisted_rate,
    coalesce(team_pace_last_10, 99.0) AS team_pace_last_10,
    coalesce(team_off_rating_last_10, 114.0) AS team_off_rating_last_10,
    coalesce(team_win_pct, 0.5) AS team_win_pct,
    points_line AS prop_line, opening_line, line_movement, coalesce(has_line, false) AS has_prop_line,
    line_bookmaker,
    coalesce(avg_points_vs_opponent, points_avg_season, 10.0) AS avg_points_vs_opponent,
    coalesce(games_played_season, 0) AS games_played_season,
    -- v2: role and availability; a player without an earlier game this season gets a bench player's values
    coalesce(points_last_game, 10.0) AS points_last_game,
    coalesce(minutes_last_game, 20.0) AS minutes_last_game,
    coalesce(started_last_game, 0) AS started_last_game,
    coalesce(points_avg_last_3, 10.0) AS points_avg_last_3,
    coalesce(minutes_avg_last_3, 20.0) AS minutes_avg_last_3,
    coalesce(minutes_trend, 0.0) AS minutes_trend,
    coalesce(minutes_std_last_10, 6.0) AS minutes_std_last_10,
    coalesce(starter_share_last_5, 0.0) AS starter_share_last_5,
    coalesce(starter_share_last_10, 0.0) AS starter_share_last_10,
    coalesce(fga_avg_last_10, 8.0) AS fga_avg_last_10,
    coalesce(fta_avg_last_10, 2.0) AS fta_avg_last_10,
    coalesce(team_games_missed_last_3, 0) AS team_games_missed_last_3,
    coalesce(team_games_missed_last_5, 0) AS team_games_missed_last_5,
    coalesce(played_last_team_game, false) AS played_last_team_game,
    coalesce(star_teammates_out, 0) AS star_teammates_out,
    teammate_minutes_out, teammate_points_out, teammate_minutes_back,
    coalesce(points_ewm, 10.0) AS points_ewm,
    coalesce(minutes_ewm, 20.0) AS minutes_ewm,
    coalesce(opponent_win_pct, 0.5) AS opponent_win_pct,
    coalesce(points_median_last_10, 10.0) AS points_median_last_10,
    coalesce(points_median_season, 10.0) AS points_median_season,
    coalesce(minutes_median_last_10, 20.0) AS minutes_median_last_10,
    -- v3: tonight's availability; without recent minutes or points the share is a bench player's
    teammate_minutes_out_tonight, teammate_points_out_tonight, available_teammates,
    coalesce(projected_minutes, 20.0) AS projected_minutes,
    coalesce(points_share_available, 0.08) AS points_share_available,
    len(defaulted_features) AS default_feature_count,
    defaulted_features,
    round(1 - len(defaulted_features) / 61, 4) AS quality_score,
    CASE WHEN points_avg_season IS NULL THEN 'default' ELSE 'player_daily_cache' END AS form_source,
    CASE WHEN fatigue_score IS NULL THEN 'default' ELSE 'player_composite_factors' END AS factors_source,
    CASE WHEN opponent_def_rating_last_15 IS NULL THEN 'default' ELSE 'team_defense_zone_analysis' END
        AS opponent_source,
    CASE WHEN pct_paint IS NULL THEN 'default' ELSE 'player_shot_zone_analysis' END AS zones_source,
    CASE WHEN has_line THEN 'prop_lines' ELSE 'none' END AS line_source,
    availability_source,
    coalesce(is_bootstrap, false) AS is_bootstrap
FROM defaulted
