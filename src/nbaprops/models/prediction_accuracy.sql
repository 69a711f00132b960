-- Grade every prediction dated in [$start_date, $end_date] whose game has a box score, against its market's result
-- ({results}: one column per declared market, from features/markets.py). Void, in this order: the player did not
-- play (dnp / inactive / not in the box score), the archive does not hold the market's result (no_result: counted,
-- never guessed), no real line, PASS, push (the result exactly the line).
WITH played_games AS (
    SELECT DISTINCT game_id FROM analytics.player_game_summary WHERE game_date BETWEEN $start_date AND $end_date
),
results AS (
    SELECT game_id, player_id, status, {results}
    FROM analytics.player_game_summary WHERE game_date BETWEEN $start_date AND $end_date
),
joined AS (
    SELECT p.*, coalesce(r.status, 'no_box_score') AS player_status,
        CASE WHEN r.status = 'active' THEN {actual} END AS actual_value
    FROM predictions.player_prop_predictions p
    JOIN played_games g USING (game_id)
    LEFT JOIN results r ON r.game_id = p.game_id AND r.player_id = p.player_id
    WHERE p.game_date BETWEEN $start_date AND $end_date
),
voided AS (
    SELECT *,
        CASE WHEN player_status <> 'active' THEN player_status
             WHEN actual_value IS NULL THEN 'no_result'
             WHEN line IS NULL THEN 'no_line'
             WHEN recommendation = 'PASS' THEN 'pass'
             WHEN actual_value = line THEN 'push' END AS void_reason
    FROM joined
)
SELECT market, system, model_version, game_id, player_id, game_date, predicted_value, actual_value, player_status,
    line, recommendation,
    abs(predicted_value - actual_value) AS absolute_error,
    predicted_value - actual_value AS signed_error,
    abs(predicted_value - actual_value) <= 3 AS within_3,
    abs(predicted_value - actual_value) <= 5 AS within_5,
    CASE WHEN void_reason IS NOT NULL THEN 'void'
         WHEN (recommendation = 'OVER') = (actual_value > line) THEN 'correct'
         ELSE 'incorrect' END AS outcome,
    void_reason
FROM voided
