import math

import numpy as np
import pytest

from nbaprops.features.markets import POINTS
from nbaprops.models.config import ModelConfig
from nbaprops.models.decision import decide

CFG = ModelConfig(min_confidence=0.55)  # points: min_edge 1, min_sigma 3 (features/markets.py)


def test_no_line_is_always_pass_without_edge_or_confidence():
    d = decide(np.array([30.0]), np.array([np.nan]), np.array([5.0]), POINTS, CFG)
    assert d.recommendation.tolist() == ["PASS"] and math.isnan(d.edge[0]) and math.isnan(d.confidence[0])


def test_sides_and_thresholds():
    predicted = np.array([25.0, 15.0, 20.5, 24.0])
    d = decide(predicted, np.full(4, 20.0), np.array([4.0, 4.0, 4.0, 40.0]), POINTS, CFG)
    assert d.edge.tolist() == [5.0, -5.0, 0.5, 4.0]
    # the last has a big edge but a very volatile player: confidence below the threshold
    assert d.recommendation.tolist() == ["OVER", "UNDER", "PASS", "PASS"]
    assert d.confidence[0] == pytest.approx(0.8944, abs=1e-4)  # Phi(5 / 4)


def test_sigma_is_floored():
    d = decide(np.array([21.0]), np.array([20.0]), np.array([0.1]), POINTS, CFG)
    assert d.confidence[0] == pytest.approx(0.6306, abs=1e-4)  # Phi(1 / 3), not Phi(10)
