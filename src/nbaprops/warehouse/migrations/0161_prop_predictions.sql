-- Issue 16: predictions are per market. predictions.player_points_predictions becomes
-- predictions.player_prop_predictions with a `market` column first and predicted_points renamed predicted_value;
-- the grades get the same market column and predicted_value / actual_value. Every row so far was a points row.
-- `* RENAME` keeps whatever other columns the table had (0006's, or the shape the pipeline wrote since), so the
-- writer keeps the rows when its shape matches; partitions follow the new name in the ledger (their fingerprints
-- changed with the declaration, so they are recomputed). Numbered after issue 16 so that migrations written on
-- parallel branches do not collide.
CREATE TABLE predictions.player_prop_predictions AS
SELECT 'points' AS market, * RENAME (predicted_points AS predicted_value)
FROM predictions.player_points_predictions;
DROP TABLE predictions.player_points_predictions;

CREATE TABLE predictions.prediction_accuracy_by_market AS
SELECT 'points' AS market, * RENAME (predicted_points AS predicted_value, actual_points AS actual_value)
FROM predictions.prediction_accuracy;
DROP TABLE predictions.prediction_accuracy;
ALTER TABLE predictions.prediction_accuracy_by_market RENAME TO prediction_accuracy;

UPDATE ops.partitions SET table_name = 'predictions.player_prop_predictions'
WHERE table_name = 'predictions.player_points_predictions';
