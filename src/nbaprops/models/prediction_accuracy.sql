-- Grade every prediction dated in [$start_date, $end_date] whose game has a box score. Void, in this order: the
-- player did not play (dnp / inactive / not in the box score), no real line, PASS, push (points exactly the line).
WITH played_games AS (
    SELECT DISTINCT game_id FROM analytics.player_game_summary WHERE game_date BETWEEN $start_date AND $end_date
),
joined AS (
    SELECT p.*, coalesce(s.status, 'no_box_score') AS player_status,
        CASE WHEN s.status = 'active' THEN s.pts END AS actual_points
    FROM predictions.player_points_predictions p
    JOIN played_games g USING (game_id)
    LEFT JOIN analytics.player_game_summary s ON s.game_id = p.game_id AND s.player_id = p.player_id
    WHERE p.game_date BETWEEN $start_date AND $end_date
),
voided AS (
    SELECT *,
        CASE WHEN player_status <> 'active' OR actual_points IS NULL THEN player_status
             WHEN line IS NULL THEN 'no_line'
             WHEN recommendation = 'PASS' THEN 'pass'
             WHEN actual_points = line THEN 'push' END AS void_reason
    FROM joined
)
SELECT system, model_version, game_id, player_id, game_date, predicted_points, actual_points, player_status, line,
    recommendation,
    abs(predicted_points - actual_points) AS absolute_error,
    predicted_points - actual_points AS signed_error,
    abs(predicted_points - actual_points) <= 3 AS within_3,
    abs(predicted_points - actual_points) <= 5 AS within_5,
    CASE WHEN void_reason IS NOT NULL THEN 'void'
         WHEN (recommendation = 'OVER') = (actual_points > line) THEN 'correct'
         ELSE 'incorrect' END AS outcome,
    void_reason
FROM voided
