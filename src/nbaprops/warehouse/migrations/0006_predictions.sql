-- Phase 5 outputs. One row per (system, model_version, game_id, player_id); `nbaprops predict` replaces a date's rows
-- of a model version, `nbaprops grade` a date range's grades. No PRIMARY KEY: see docs/architecture.md (Warehouse).
CREATE TABLE predictions.player_points_predictions (
    system VARCHAR NOT NULL,              -- moving_average | gbm | ensemble
    model_version VARCHAR NOT NULL,       -- changes with the trained model and the decision settings
    game_id VARCHAR NOT NULL,
    player_id BIGINT NOT NULL,
    game_date DATE NOT NULL,
    predicted_points DOUBLE NOT NULL,
    line DOUBLE,                          -- latest snapshot before tip-off; NULL when there is no line
    over_price DOUBLE,                    -- American odds of that snapshot
    under_price DOUBLE,
    edge DOUBLE,                          -- predicted_points - line
    recommendation VARCHAR NOT NULL,      -- OVER | UNDER | PASS
    confidence DOUBLE,                    -- P(the recommended side wins) under the system's spread
    feature_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE predictions.prediction_accuracy (
    system VARCHAR NOT NULL,
    model_version VARCHAR NOT NULL,
    game_id VARCHAR NOT NULL,
    player_id BIGINT NOT NULL,
    game_date DATE NOT NULL,
    predicted_points DOUBLE NOT NULL,
    actual_points DOUBLE,                 -- NULL unless the player was active
    player_status VARCHAR NOT NULL,       -- active | dnp | inactive | no_box_score
    line DOUBLE,
    recommendation VARCHAR NOT NULL,
    absolute_error DOUBLE,
    signed_error DOUBLE,                  -- predicted - actual: positive = predicted too many points
    within_3 BOOLEAN,
    within_5 BOOLEAN,
    outcome VARCHAR NOT NULL,             -- correct | incorrect | void
    void_reason VARCHAR,                  -- dnp | inactive | no_box_score | no_line | pass | push
    graded_at TIMESTAMP NOT NULL
);
