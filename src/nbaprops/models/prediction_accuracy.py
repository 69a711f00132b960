"""predictions.prediction_accuracy: every prediction graded against the result once the game's box score is in."""

from nbaprops.pipeline.transform import declare

TRANSFORM = declare(
    __file__,
    name="predictions.prediction_accuracy",
    phase="predictions",
    inputs=("predictions.player_points_predictions", "analytics.player_game_summary"),
    keys=("system", "game_id", "player_id"),
    partition_column="game_date",
    bootstrap=False,  # bootstrap days have predictions (from the early-season rows)
    lookback="same_date",
    dates="played",
    description="Absolute and signed error, within 3/5, and correct / incorrect / void of every prediction.",
)
