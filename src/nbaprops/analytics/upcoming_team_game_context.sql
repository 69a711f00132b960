-- analytics.upcoming_team_game_context: one row per (game_id, team) for every game in scope in raw.games - played
-- or still to come - with only what was known before tip-off (SPEC section 4). Every history read is strictly
-- before the game's date and in the same season. back_to_back means days_rest = 1 (the one convention).
WITH games AS (
    -- Every scheduled team-game of the seasons in range (the schedule is known in advance, so earlier games of the
    -- season count for rest and workload whether or not their box score is loaded).
    SELECT game_id, game_date, season, season_year, game_type, game_code,
           home_team AS team, away_team AS opponent, true AS is_home
    FROM raw.games
    UNION ALL
    SELECT game_id, game_date, season, season_year, game_type, game_code, away_team, home_team, false
    FROM raw.games
),
schedule AS (
    SELECT *,
        game_date - lag(game_date) OVER w AS days_rest,
        row_number() OVER w AS team_game_number
    FROM games
    WHERE game_type IN ('regular_season', 'play_in', 'playoffs', 'cup_final') AND team IS NOT NULL
      AND opponent IS NOT NULL AND game_date <= $end_date
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
    WINDOW w AS (PARTITION BY team, season_year ORDER BY game_date, game_id)
),
workload AS (
    SELECT *,
        count(*) OVER (PARTITION BY team, season_year ORDER BY game_date
            RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND INTERVAL 1 DAYS PRECEDING) AS games_last_7_days,
        count(*) OVER (PARTITION BY team, season_year ORDER BY game_date
            RANGE BETWEEN INTERVAL 14 DAYS PRECEDING AND INTERVAL 1 DAYS PRECEDING) AS games_last_14_days,
        count(*) FILTER (WHERE days_rest = 1) OVER (PARTITION BY team, season_year ORDER BY game_date
            RANGE BETWEEN INTERVAL 14 DAYS PRECEDING AND INTERVAL 1 DAYS PRECEDING) AS back_to_backs_last_14_days
    FROM schedule
),
record AS (
    -- Each played team-game with the team's record through it, and (next) the pace and ORtg of its last 10 games
    -- with a full box score. Both are ASOF-joined to the latest game before the date: the form before tip-off.
    SELECT team, season_year, game_date,
        count(*) OVER season AS games_played,
        count(*) FILTER (WHERE win) OVER season AS wins
    FROM analytics.team_offense_game_summary
    WHERE game_date < $end_date
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
    WINDOW season AS (PARTITION BY team, season_year ORDER BY game_date ROWS UNBOUNDED PRECEDING)
),
pace AS (
    SELECT team, season_year, game_date,
        avg(fixed_point(pace)) OVER l10 AS pace_l10,
        avg(fixed_point(offensive_rating)) OVER l10 AS offensive_rating_l10
    FROM analytics.team_offense_game_summary
    WHERE game_date < $end_date AND pace IS NOT NULL
      AND season_year BETWEEN season_year_of($start_date) AND season_year_of($end_date)
    WINDOW l10 AS (PARTITION BY team, season_year ORDER BY game_date ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)
),
with_form AS (
    SELECT w.*, p.pace_l10, p.offensive_rating_l10, coalesce(r.games_played, 0) AS games_played,
        coalesce(r.wins, 0) AS wins
    FROM workload w
    ASOF LEFT JOIN record r ON r.team = w.team AND r.season_year = w.season_year AND r.game_date < w.game_date
    ASOF LEFT JOIN pace p ON p.team = w.team AND p.season_year = w.season_year AND p.game_date < w.game_date
)
SELECT
    t.game_id, t.game_date, t.season, t.season_year, t.game_type, t.game_code, t.team, t.opponent, t.is_home,
    t.team_game_number,
    CASE WHEN t.game_type IN ('playoffs', 'play_in') THEN 'postseason'
         WHEN t.team_game_number <= 20 THEN 'early'
         WHEN t.team_game_number <= 60 THEN 'mid'
         ELSE 'late' END AS season_phase,
    t.days_rest, t.days_rest = 1 AS back_to_back,
    t.games_last_7_days, t.games_last_14_days, t.back_to_backs_last_14_days,
    t.games_played, t.wins, t.wins / nullif(t.games_played, 0) AS win_pct,
    t.pace_l10, t.offensive_rating_l10,
    o.days_rest AS opponent_days_rest, o.pace_l10 AS opponent_pace_l10,
    o.offensive_rating_l10 AS opponent_offensive_rating_l10, o.win_pct AS opponent_win_pct
FROM with_form t
JOIN (SELECT *, wins / nullif(games_played, 0) AS win_pct FROM with_form) o
  ON o.game_id = t.game_id AND o.team = t.opponent
WHERE t.game_date BETWEEN $start_date AND $end_date
