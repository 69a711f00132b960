-- precompute.player_composite_factors: one row per (player, game) of the player context (SPEC section 5).
-- fatigue_score: start 100 (higher = fresher); back-to-back -15; 3+ days rest +5; >= 4 games in 7 days -10;
--   > 240 minutes in 7 days -10; > 35 minutes per game over the last 7 days -8; back-to-backs in the last 14 days
--   -12 (2+) or -5 (1); clamped to 0-100.
-- shot_zone_mismatch_score: the opponent's FG% allowed vs the league (percentage points) in the player's primary
--   zone, times the player's share of FGA from that zone; 0 for a balanced player; clamped +-10.
-- pace_score: (expected game pace - league pace) / 2, expected = mean of the two teams' pace L10; clamped +-3.
-- usage_spike_score: projected usage - usage L7, clamped +-3. Projected usage scales the player's usage L10 by the
--   usage the star teammates out leave free: each absent star frees his usage L10 above a 20% average share, and
--   the players who remain absorb it in proportion to their own usage.
WITH ctx AS (
    SELECT game_id, game_date, season, season_year, team, opponent, player_id, days_rest, back_to_back,
        games_last_7_days, minutes_last_7_days, back_to_backs_last_14_days, star_teammates_out, is_star,
        played_last_team_game, team_pace_l10, opponent_pace_l10
    FROM analytics.upcoming_player_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
cache AS (
    SELECT player_id, cache_date AS game_date, usage_rate_last_7, usage_rate_last_10
    FROM precompute.player_daily_cache
    WHERE cache_date BETWEEN $start_date AND $end_date
),
freed AS (
    -- usage left free by the stars who did not play the team's previous game
    SELECT c.game_id, c.team, sum(greatest(coalesce(k.usage_rate_last_10, 20) - 20, 0)) AS freed_usage
    FROM ctx c
    LEFT JOIN cache k ON k.player_id = c.player_id AND k.game_date = c.game_date
    WHERE c.is_star AND NOT c.played_last_team_game
    GROUP BY ALL
),
zones AS (
    SELECT player_id, analysis_date AS game_date, primary_zone, meets_min_games,
        CASE primary_zone WHEN 'paint' THEN pct_paint_last_10 WHEN 'mid_range' THEN pct_mid_range_last_10
                          WHEN 'three' THEN pct_three_last_10 END AS primary_zone_share
    FROM precompute.player_shot_zone_analysis
    WHERE analysis_date BETWEEN $start_date AND $end_date
),
defense AS (
    SELECT team, analysis_date AS game_date, paint_vs_league, mid_range_vs_league, three_vs_league, league_pace
    FROM precompute.team_defense_zone_analysis
    WHERE analysis_date BETWEEN $start_date AND $end_date
),
scored AS (
    SELECT c.*, k.usage_rate_last_7, k.usage_rate_last_10, z.primary_zone, z.primary_zone_share,
        d.league_pace, coalesce(f.freed_usage, 0) AS freed_usage,
        CASE z.primary_zone WHEN 'paint' THEN d.paint_vs_league WHEN 'mid_range' THEN d.mid_range_vs_league
                            WHEN 'three' THEN d.three_vs_league END AS opponent_zone_vs_league,
        -- minutes per game over the last 7 days (0 games: no load)
        c.minutes_last_7_days / nullif(c.games_last_7_days, 0) AS minutes_per_game_last_7_days,
        z.meets_min_games
    FROM ctx c
    LEFT JOIN cache k USING (player_id, game_date)
    LEFT JOIN zones z USING (player_id, game_date)
    LEFT JOIN defense d ON d.team = c.opponent AND d.game_date = c.game_date
    LEFT JOIN freed f ON f.game_id = c.game_id AND f.team = c.team
)
SELECT
    game_id, game_date, season, season_year, team, opponent, player_id,
    greatest(0, least(100,
        100
        - CASE WHEN back_to_back THEN 15 ELSE 0 END
        + CASE WHEN days_rest >= 3 THEN 5 ELSE 0 END
        - CASE WHEN games_last_7_days >= 4 THEN 10 ELSE 0 END
        - CASE WHEN minutes_last_7_days > 240 THEN 10 ELSE 0 END
        - CASE WHEN minutes_per_game_last_7_days > 35 THEN 8 ELSE 0 END
        - CASE WHEN back_to_backs_last_14_days >= 2 THEN 12 WHEN back_to_backs_last_14_days = 1 THEN 5 ELSE 0 END
    )) AS fatigue_score,
    primary_zone, primary_zone_share, opponent_zone_vs_league,
    -- A score whose input is NULL stays NULL (DuckDB's greatest/least skip NULLs: clamping NULL would give the
    -- bound itself, e.g. a usage spike of +3 for every player without usage data).
    CASE WHEN primary_zone = 'balanced' THEN 0.0
         WHEN meets_min_games AND opponent_zone_vs_league * primary_zone_share IS NOT NULL
         THEN greatest(-10, least(10, opponent_zone_vs_league * primary_zone_share))
    END AS shot_zone_mismatch_score,
    (team_pace_l10 + opponent_pace_l10) / 2 AS expected_pace, league_pace,
    CASE WHEN (team_pace_l10 + opponent_pace_l10) / 2 - league_pace IS NOT NULL
         THEN greatest(-3, least(3, ((team_pace_l10 + opponent_pace_l10) / 2 - league_pace) / 2)) END AS pace_score,
    freed_usage,
    usage_rate_last_10 * 100 / (100 - least(freed_usage, 50)) AS projected_usage,
    usage_rate_last_7,
    CASE WHEN usage_rate_last_10 * 100 / (100 - least(freed_usage, 50)) - usage_rate_last_7 IS NOT NULL
         THEN greatest(-3, least(3, usage_rate_last_10 * 100 / (100 - least(freed_usage, 50)) - usage_rate_last_7))
    END AS usage_spike_score
FROM scored
