import numpy as np
import pytest

from nbaprops.models.config import ModelConfig
from nbaprops.models.evaluation import bet_results, evaluate
from nbaprops.models.metrics import wilson_interval

from .synthetic import make_frame

CFG = ModelConfig(min_confidence=0.5)  # points: min_edge 1 (features/markets.py)


def test_rows_without_a_line_are_counted_but_never_bet():
    actual = [20.0, 10.0, 25.0, 30.0, 8.0]
    line = [18.5, 12.5, np.nan, np.nan, 8.0]  # the last is a push
    frame = make_frame(actual, line)
    predicted = np.array([22.0, 11.0, 40.0, 2.0, 9.0])
    report = evaluate(frame, {"gbm": predicted}, CFG)
    assert report["counts"] == {
        "feature_rows": 5, "evaluated_rows": 5, "not_played_rows": 0, "rows_with_line": 3, "rows_without_line": 2,
    }  # fmt: skip
    buckets = report["hit_rates"]["gbm"]
    assert sum(b["bets"] + b["pushes"] for b in buckets[:-1]) == 3
    assert sum(b["wins"] for b in buckets[:-1]) == 2 and sum(b["pushes"] for b in buckets[:-1]) == 1
    # MAE on every played row, line-only table on the three lined rows with the line as a baseline
    assert [r["rows"] for r in report["accuracy"]] == [5, 5, 5]
    line_row = next(r for r in report["accuracy_with_line"] if r["predictor"] == "line")
    assert line_row["rows"] == 3 and line_row["mae"] == pytest.approx((1.5 + 2.5 + 0) / 3)


def test_not_played_rows_are_not_scored():
    frame = make_frame([20.0, np.nan], [18.5, 18.5])
    frame = frame.select(np.array([True, True]))
    frame.status[1] = "dnp"
    report = evaluate(frame, {"gbm": np.array([25.0, 25.0])}, CFG)
    assert report["counts"]["evaluated_rows"] == 1 and report["counts"]["not_played_rows"] == 1
    assert report["hit_rates"]["gbm"][-1]["bets"] == 1


def test_bet_results_hit_rate_interval_and_roi_at_recorded_prices():
    frame = make_frame([25.0, 25.0, 15.0, 20.0], [20.5, 20.5, 20.5, 20.0], over_price=150.0, under_price=-110.0)
    side = np.array(["OVER", "OVER", "OVER", "UNDER"], dtype=object)
    result = bet_results(frame, side, np.ones(4, dtype=bool))
    assert (result["bets"], result["wins"], result["pushes"]) == (3, 2, 1)
    assert result["hit_rate"] == pytest.approx(2 / 3)
    assert (result["ci_low"], result["ci_high"]) == wilson_interval(2, 3)
    assert result["roi"] == pytest.approx((1.5 + 1.5 - 1) / 3)
