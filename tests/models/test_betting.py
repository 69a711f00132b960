"""Priced bets: side, EV, stake, result and CLV of one constructed market; the summary by hand."""

from __future__ import annotations

import numpy as np
import pytest

from nbaprops.models.betting import _bet, bet_summary, market_aware, priced_bets, probability_vs_market
from nbaprops.models.config import ModelConfig, PricingConfig
from nbaprops.models.pricing import Quote, market_at

T0 = np.datetime64("2025-11-05T17:00")
CFG = ModelConfig(pricing=PricingConfig(devig_method="multiplicative", min_ev=0.02, kelly_fraction=0.5, kelly_cap=0.05))


def test_a_bet_takes_the_better_ev_side_at_the_best_price_and_measures_clv():
    quotes = [
        Quote("dk", T0, 20.5, -110, -110),
        Quote("fd", T0, 20.5, +100, -120),  # best over price
        Quote("dk", T0 + np.timedelta64(5, "h"), 21.5, -110, -110),  # after the pick, before tip-off
        Quote("fd", T0 + np.timedelta64(5, "h"), 21.5, -110, -110),
    ]
    pick = market_at(quotes, T0 + np.timedelta64(1, "h"), "multiplicative")
    close = market_at(quotes, T0 + np.timedelta64(6, "h"), "multiplicative")
    bet = _bet(pick, close, p_over=0.56, actual=22.0, cfg=CFG)
    # over at +100: EV 0.56 * 2 - 1 = 0.12; under at -110: 0.44 * 1.909 - 1 < 0
    assert bet["over"] and bet["bet"] and bet["won"] and not bet["push"]
    assert bet["ev"] == pytest.approx(0.12) and bet["decimal"] == 2.0
    assert bet["stake"] == pytest.approx(0.05)  # half Kelly 0.06, capped at 0.05
    fd_over = (100 / 200) / (100 / 200 + 120 / 220)
    assert bet["edge"] == pytest.approx(0.56 - (0.5 + fd_over) / 2)
    # the close moved up a point (both books at 21.5, -110/-110: fair 0.5)
    assert bet["line_clv"] == 1.0 and bet["prob_clv"] == pytest.approx(0.5 - (0.5 + fd_over) / 2)
    passed = _bet(pick, close, p_over=0.51, actual=20.0, cfg=CFG)  # EV 0.02 at +100 is the threshold itself
    assert passed["bet"] and _bet(pick, close, p_over=0.505, actual=20.0, cfg=CFG)["bet"] is False


def test_bet_summary_by_hand():
    bets = [
        {"won": True, "push": False, "decimal": 2.0, "stake": 0.02, "line_clv": 1.0, "prob_clv": 0.02},
        {"won": False, "push": False, "decimal": 1.9, "stake": 0.01, "line_clv": 0.0, "prob_clv": -0.01},
        {"won": False, "push": True, "decimal": 1.9, "stake": 0.01, "line_clv": -0.5, "prob_clv": 0.0},
    ]
    s = bet_summary(bets)
    assert (s["picks"], s["decided"], s["pushes"], s["wins"]) == (3, 2, 1, 1)
    assert s["roi"] == pytest.approx((1.0 - 1.0) / 2)
    assert s["kelly_roi"] == pytest.approx((0.02 * 1.0 - 0.01) / 0.03)
    assert s["break_even"] == pytest.approx((0.5 + 1 / 1.9) / 2)
    assert s["mean_line_clv"] == pytest.approx(0.5 / 3) and s["beat_close"] == pytest.approx(1 / 3)
    assert s["ci_low"] < 0.5 < s["ci_high"]


def _row(day: int, p_model: float, fair: float, actual: float):
    from nbaprops.models.betting import PricedRow
    from nbaprops.models.pricing import Market

    market = Market(20.5, fair, 1, -110, "dk", -110, "dk")
    return PricedRow(np.datetime64("2025-11-01") + np.timedelta64(day, "D"), market, market, p_model, actual)


def test_market_aware_blend_uses_only_earlier_dates():
    from nbaprops.models.betting import market_aware

    rng = np.random.default_rng(5)
    rows = []
    for day in range(6):
        for _ in range(100):
            fair = rng.uniform(0.3, 0.7)
            rows.append(_row(day, rng.uniform(0.2, 0.8), fair, 25.0 if rng.random() < fair else 15.0))
    blended = market_aware(rows, min_rows=150)
    days = np.array([r.date for r in rows])
    first_fit = np.datetime64("2025-11-03")  # 200 earlier rows from the third day
    assert np.isnan(blended[days < first_fit]).all() and not np.isnan(blended[days >= first_fit]).any()
    # the outcome is drawn from the market's probability: the blend leans on the market, not on the noise
    later = days >= first_fit
    fair = np.array([r.pick.fair_over for r in rows])
    assert np.corrcoef(blended[later], fair[later])[0, 1] > 0.8
    # changing the results of the last day moves no probability at all (not even that day's own)
    flipped = rows[:500] + [_row(5, r.p_over, r.pick.fair_over, 40.0 - r.actual) for r in rows[500:]]
    assert np.array_equal(market_aware(flipped, min_rows=150), blended, equal_nan=True)


def test_a_span_without_a_single_priced_row_reports_zero_rows_not_an_error():
    """PRA 2023-24 has no tip-off time (no commence time, no schedule): nothing can be priced at a pick time."""
    assert market_aware([], 10).shape == (0,)
    assert probability_vs_market([], np.array([]))["rows"] == 0
    assert priced_bets([], np.array([]), ModelConfig()) == []
