-- One row per feature row dated in [$start_date, $end_date) with the market's features and "the" line of the
-- market (SPEC section 4: the preferred bookmaker's latest snapshot before tip-off, prop_line_before_tipoff) with
-- the prices of that same snapshot: what is known before tip-off, from the warehouse's feature store or its oracle
-- twin (models/live_features.py). load_frame adds the result when it is asked for (training, grading, backtests),
-- never for predictions. Ordered by the caller, so a training set never depends on how the table is stored.
WITH lined AS (
    SELECT game_id, player_id, line_bookmaker, latest_line
    FROM prop_line_before_tipoff($line_market, $bookmaker_priority, $start_date, $end_date)
    WHERE game_date >= $start_date AND game_date < $end_date
),
priced AS (
    SELECT game_id, player_id, bookmaker, line, over_price, under_price
    FROM prop_line_snapshots($line_market, $bookmaker_priority, $start_date, $end_date)
    WHERE game_date >= $start_date AND game_date < $end_date
    QUALIFY row_number() OVER (
        PARTITION BY game_id, player_id ORDER BY bookmaker_rank, bookmaker, snapshot_time_utc DESC NULLS LAST
    ) = 1
)
SELECT f.game_id, f.player_id, f.game_date, f.feature_version, f.player_name, f.team, f.opponent, {features},
    l.line_bookmaker AS bookmaker, l.latest_line AS line,
    CASE WHEN p.line = l.latest_line THEN p.over_price END AS over_price,
    CASE WHEN p.line = l.latest_line THEN p.under_price END AS under_price
FROM {store} f
LEFT JOIN lined l ON l.game_id = f.game_id AND l.player_id = f.player_id
LEFT JOIN priced p ON p.game_id = f.game_id AND p.player_id = f.player_id AND p.bookmaker = l.line_bookmaker
WHERE f.game_date >= $start_date AND f.game_date < $end_date
