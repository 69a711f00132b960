-- analytics.upcoming_player_game_context: one row per (game_id, player_id) for every player on the roster of a
-- team in analytics.upcoming_team_game_context (every scheduled game, future ones included), with or without a
-- prop line, holding only what was known before tip-off (SPEC section 4). Every history read is strictly before
-- the game's date and in the same season.
-- Roster = players who appeared (played or not) for the team earlier in the season (months out injured or in the
-- G League do not drop a player), minus those whose latest appearance was for another team (trades). A team's first
-- game of a season has no player rows: nothing this season says who the players are yet.
-- Availability tonight uses only what a run before tip-off has: the latest injury report of the game (Out or
-- Doubtful = unavailable), else "played the team's last game"; `availability_source` says which. None of the
-- captured live feeds (api-samples) publishes a pre-game active/inactive status: the gamebook and box-score
-- inactive lists are post-game, so they are not used.
-- The session variable `availability` = 'oracle' (the backtest's upper bound, see models/live_features.py) reads
-- the archive's raw.active_lists of the game's own date instead: Basketball-Reference's list of who dressed, built
-- from the game's box score after the game. It then decides availability where the team has one and puts a traded
-- player on his new team's roster for his first game there (without it, that first game has no row).
WITH ctx AS (
    SELECT game_id, game_date, season, season_year, game_type, game_code, team, opponent, is_home, season_phase,
        pace_l10, opponent_pace_l10
    FROM analytics.upcoming_team_game_context
    WHERE game_date BETWEEN $start_date AND $end_date
),
history AS (
    SELECT game_id, game_date, season_year, team, player_id, player_name, status, minutes, pts
    FROM analytics.player_game_summary
    WHERE game_date < $end_date
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
),
recent_team_games AS (
    SELECT c.game_id AS ctx_game_id, c.team, t.game_id,
        row_number() OVER (PARTITION BY c.game_id, c.team ORDER BY t.game_date DESC) AS recency
    FROM ctx c
    JOIN (SELECT DISTINCT team, season_year, game_id, game_date FROM history) t
      ON t.team = c.team AND t.season_year = c.season_year AND t.game_date < c.game_date
),
appeared AS (
    SELECT r.ctx_game_id, r.team, h.player_id,
        bool_or(r.recency = 1 AND h.status = 'active') AS played_last_team_game
    FROM recent_team_games r
    JOIN history h ON h.game_id = r.game_id AND h.team = r.team
    GROUP BY ALL
),
active_list AS (
    SELECT game_id, game_date, team, player_id, available
    FROM raw.active_lists
    WHERE game_date BETWEEN $start_date AND $end_date AND getvariable('availability') IS NOT DISTINCT FROM 'oracle'
),
injury_report AS (
    -- The latest report entry per player and game.
    SELECT game_id, team, player_id, arg_max(status, report_time) AS injury_status
    FROM raw.injuries
    WHERE game_date BETWEEN $start_date AND $end_date AND game_id IS NOT NULL AND player_id IS NOT NULL
    GROUP BY ALL
),
candidates AS (
    SELECT ctx_game_id, team, player_id, played_last_team_game FROM appeared
    UNION ALL
    -- listed tonight, not seen with this team before the date (the first game after a trade)
    SELECT l.game_id, l.team, l.player_id, false
    FROM active_list l
    JOIN ctx c ON c.game_id = l.game_id AND c.team = l.team
    WHERE l.available AND NOT EXISTS (
        SELECT 1 FROM appeared a WHERE a.ctx_game_id = l.game_id AND a.team = l.team AND a.player_id = l.player_id)
),
roster AS (
    -- A player on an active list that day belongs to the team that listed him: not to his old team's game of the
    -- same day, nor to the other side of a game between his old and new teams.
    SELECT c.*, a.player_id, a.played_last_team_game, h.player_name,
        coalesce(l.available, false) AS listed_available, lt.game_id IS NOT NULL AS team_listed
    FROM ctx c
    JOIN candidates a ON a.ctx_game_id = c.game_id AND a.team = c.team
    ASOF JOIN history h ON h.player_id = a.player_id AND h.season_year = c.season_year AND h.game_date < c.game_date
    LEFT JOIN active_list l ON l.game_date = c.game_date AND l.player_id = a.player_id
    LEFT JOIN (SELECT DISTINCT game_id, team FROM active_list) lt ON lt.game_id = c.game_id AND lt.team = c.team
    WHERE coalesce(l.team = c.team, true) AND (h.team = c.team OR l.available)
),
played AS (
    -- Played games only: a DNP or inactive row never enters an average, a rest count or a workload count.
    SELECT player_id, season_year, game_date, minutes, pts,
        game_date - lag(game_date) OVER p AS days_rest,
        avg(pts) OVER (p ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS points_avg_l5,
        avg(pts) OVER (p ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS points_avg_l10,
        avg(fixed_point(minutes)) OVER (p ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS minutes_avg_l10,
        count(*) OVER (p ROWS UNBOUNDED PRECEDING) AS games_played,
        avg(pts) OVER (p ROWS UNBOUNDED PRECEDING) AS points_avg_season,
        avg(fixed_point(minutes)) OVER (p ROWS UNBOUNDED PRECEDING) AS minutes_avg_season
    FROM history
    WHERE status = 'active'
    WINDOW p AS (PARTITION BY player_id, season_year ORDER BY game_date)
),
form AS (
    -- The player's form through his latest played game before the date.
    SELECT r.*, r.game_date - p.game_date AS days_rest, coalesce(p.games_played, 0) AS games_played,
        p.points_avg_l5, p.points_avg_l10, p.points_avg_season, p.minutes_avg_l10, p.minutes_avg_season,
        -- SPEC section 4: >= 18 PPG, or >= 28 MPG and >= 12 PPG, with >= 10 games
        coalesce(p.games_played >= 10 AND (p.points_avg_season >= 18
            OR (p.minutes_avg_season >= 28 AND p.points_avg_season >= 12)), false) AS is_star
    FROM roster r
    ASOF LEFT JOIN played p
      ON p.player_id = r.player_id AND p.season_year = r.season_year AND p.game_date < r.game_date
),
workload AS (
    -- Played games in the 7 and 14 days before the date (d-7 .. d-1 and d-14 .. d-1).
    SELECT f.game_id, f.player_id,
        count(p.game_date) FILTER (WHERE p.game_date >= f.game_date - 7) AS games_last_7_days,
        CAST(coalesce(sum(fixed_point(p.minutes)) FILTER (WHERE p.game_date >= f.game_date - 7), 0) AS DOUBLE)
            AS minutes_last_7_days,
        count(p.game_date) AS games_last_14_days,
        CAST(coalesce(sum(fixed_point(p.minutes)), 0) AS DOUBLE) AS minutes_last_14_days,
        count(p.game_date) FILTER (WHERE p.days_rest = 1) AS back_to_backs_last_14_days
    FROM form f
    LEFT JOIN played p ON p.player_id = f.player_id AND p.season_year = f.season_year
        AND p.game_date BETWEEN f.game_date - 14 AND f.game_date - 1
    GROUP BY ALL
),
lines AS (
    SELECT * FROM prop_line_before_tipoff('player_points', $bookmaker_priority, $start_date, $end_date)
    WHERE game_date BETWEEN $start_date AND $end_date
)
SELECT
    f.game_id, f.game_date, f.season, f.season_year, f.game_type, f.game_code, f.team, f.opponent, f.is_home,
    f.player_id, f.player_name, f.season_phase,
    f.days_rest, f.days_rest = 1 AS back_to_back,
    w.games_last_7_days, w.minutes_last_7_days, w.games_last_14_days, w.minutes_last_14_days,
    w.back_to_backs_last_14_days,
    f.games_played, f.points_avg_l5, f.points_avg_l10, f.points_avg_season, f.minutes_avg_l10,
    f.minutes_avg_season, f.played_last_team_game, f.is_star,
    -- Stars (as above) on the roster who did not play the team's previous game: the best pre-game signal of
    -- "out" until an injury report is loaded.
    count(*) FILTER (WHERE f.is_star AND NOT f.played_last_team_game) OVER team_game
        - (f.is_star AND NOT f.played_last_team_game)::INTEGER AS star_teammates_out,
    CASE WHEN f.team_listed THEN f.listed_available
         WHEN r.game_id IS NOT NULL THEN coalesce(i.injury_status NOT IN ('Out', 'Doubtful'), true)
         ELSE f.played_last_team_game END AS available_tonight,
    CASE WHEN f.team_listed THEN 'active_list' WHEN r.game_id IS NOT NULL THEN 'injury_report'
         ELSE 'last_team_game' END AS availability_source,
    i.injury_status,
    f.pace_l10 AS team_pace_l10, f.opponent_pace_l10,
    l.opening_line, l.latest_line AS points_line, l.latest_line - l.opening_line AS line_movement,
    l.line_bookmaker, coalesce(l.snapshots, 0) AS line_snapshots, l.game_id IS NOT NULL AS has_line
FROM form f
JOIN workload w USING (game_id, player_id)
LEFT JOIN lines l USING (game_id, player_id)
LEFT JOIN injury_report i ON i.game_id = f.game_id AND i.player_id = f.player_id AND i.team = f.team
LEFT JOIN (SELECT DISTINCT game_id, team FROM injury_report) r ON r.game_id = f.game_id AND r.team = f.team
WINDOW team_game AS (PARTITION BY f.game_id, f.team)
