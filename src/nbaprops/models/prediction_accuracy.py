"""predictions.prediction_accuracy: every prediction graded against its market's result once the game's box score
is in. The result is each market's declared expression (features/markets.py), written into the SQL here so a new
market is graded without a line of SQL; a prediction of a market no longer declared is an error, not a guess."""

from nbaprops.features import markets as declared
from nbaprops.pipeline.transform import declare


def _column(name: str) -> str:
    return f"result_{name}"


def compose(sql: str) -> str:
    """The grading SELECT with one result column per declared market and the prediction's market picking one."""
    markets = list(declared.MARKETS.values())
    results = ", ".join(f"({m.result})::DOUBLE AS {_column(m.name)}" for m in markets)
    whens = " ".join(f"WHEN '{m.name}' THEN r.{_column(m.name)}" for m in markets)
    actual = f"CASE p.market {whens} ELSE error('prediction of an undeclared market: ' || p.market) END"
    return sql.format(results=results, actual=actual)


TRANSFORM = declare(
    __file__,
    name="predictions.prediction_accuracy",
    phase="predictions",
    inputs=("predictions.player_prop_predictions", "analytics.player_game_summary"),
    keys=("market", "system", "game_id", "player_id"),
    partition_column="game_date",
    bootstrap=False,  # bootstrap days have predictions (from the early-season rows)
    lookback="same_date",
    dates="played",
    compose=compose,
    columns={
        "actual_value": "the market's result (NULL when the player did not play or the archive lacks the stat)",
        "player_status": "active, dnp, inactive, or no_box_score when he is not in the game's box score",
        "line": "the line the prediction was made against",
        "recommendation": "the prediction's OVER, UNDER or PASS",
        "absolute_error": "|predicted_value - actual_value|",
        "signed_error": "predicted_value - actual_value (positive: predicted too many)",
        "within_3": "true when the prediction was within 3 of the result (in the market's unit)",
        "within_5": "true when the prediction was within 5 of the result (in the market's unit)",
        "outcome": "correct, incorrect or void",
        "void_reason": "why the bet is void: the player's status, no_result, no_line, pass or push; NULL when graded",
    },
    description="Absolute and signed error, within 3/5, and correct / incorrect / void of every prediction, per "
    "market against the market's result.",
)
