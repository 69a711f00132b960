-- One row per feature-store row dated in [$start_date, $end_date) with its features and "the" line (the store's
-- latest snapshot before tip-off from the preferred bookmaker) with the prices of that same snapshot: what is known
-- before tip-off, from the warehouse's feature store or its oracle twin (models/live_features.py). load_frame adds
-- the result when it is asked for (training, grading, backtests), never for predictions. Ordered, so a training
-- set never depends on how the table happens to be stored.
WITH priced AS (
    SELECT game_id, player_id, bookmaker, line, over_price, under_price
    FROM prop_line_snapshots('player_points', $bookmaker_priority)
    WHERE game_date >= $start_date AND game_date < $end_date
    QUALIFY row_number() OVER (
        PARTITION BY game_id, player_id ORDER BY bookmaker_rank, bookmaker, snapshot_time_utc DESC NULLS LAST
    ) = 1
)
SELECT f.game_id, f.player_id, f.game_date, f.feature_version, {features},
    CASE WHEN f.has_prop_line THEN f.prop_line END AS line,
    CASE WHEN p.line = f.prop_line THEN p.over_price END AS over_price,
    CASE WHEN p.line = f.prop_line THEN p.under_price END AS under_price
FROM {store} f
LEFT JOIN priced p ON p.game_id = f.game_id AND p.player_id = f.player_id AND p.bookmaker = f.line_bookmaker
WHERE f.game_date >= $start_date AND f.game_date < $end_date
