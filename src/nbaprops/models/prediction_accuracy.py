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
    columns={
        "actual_points": "points scored (NULL when the player did not play)",
        "player_status": "active, dnp, inactive, or no_box_score when he is not in the game's box score",
        "line": "the line the prediction was made against",
        "recommendation": "the prediction's OVER, UNDER or PASS",
        "absolute_error": "|predicted_points - actual_points|",
        "signed_error": "predicted_points - actual_points (positive: predicted too many)",
        "within_3": "true when the prediction was within 3 points",
        "within_5": "true when the prediction was within 5 points",
        "outcome": "correct, incorrect or void",
        "void_reason": "why the bet is void: the player's status, no_line, pass or push; NULL when graded",
    },
    description="Absolute and signed error, within 3/5, and correct / incorrect / void of every prediction.",
)
