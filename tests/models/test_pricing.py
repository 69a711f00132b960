"""Pricing: hand-computed odds, vig removal, Kelly and closing line value; properties with hypothesis."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.models.pricing import (
    Quote,
    american_to_decimal,
    closing_line_value,
    decimal_to_american,
    devig,
    expected_value,
    implied_probability,
    kelly_stake,
    market_at,
)

american = st.one_of(st.floats(-1000, -100), st.floats(100, 1000))


def test_odds_conversions_by_hand():
    assert american_to_decimal(-110) == pytest.approx(1 + 100 / 110)
    assert american_to_decimal(150) == pytest.approx(2.5)
    assert decimal_to_american(2.5) == pytest.approx(150)
    assert decimal_to_american(1.5) == pytest.approx(-200)
    assert implied_probability(-200) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="American odds"):
        american_to_decimal(-50)


@given(american)
def test_american_decimal_round_trip(odds):
    # -100 and +100 are the same price (even money), so the round trip is checked on the decimal side
    d = american_to_decimal(odds)
    assert american_to_decimal(decimal_to_american(d)) == pytest.approx(d, rel=1e-9)
    if abs(odds) > 100.001:
        assert decimal_to_american(d) == pytest.approx(odds, rel=1e-9)


def test_multiplicative_devig_by_hand():
    # -110/-110: 0.52381 each, sum 1.04762 -> 0.5 each. -150/+120: 0.6 and 0.454545, sum 1.054545.
    over, under = devig(np.array([110 / 210, 0.6]), np.array([110 / 210, 100 / 220]), "multiplicative")
    assert over == pytest.approx([0.5, 0.6 / 1.0545454545])
    assert under == pytest.approx([0.5, 0.4545454545 / 1.0545454545])


def test_power_devig_by_hand():
    # -150/+120: k solves 0.6**k + 0.454545**k = 1; by hand k = 1.0725 (0.6**1.0725 = 0.57784,
    # 0.454545**1.0725 = 0.42937, sum 1.0072 -> the exact k is 1.0834: 0.57459 + 0.42541).
    over, under = devig(np.array([0.6]), np.array([100 / 220]), "power")
    k = math.log(over[0]) / math.log(0.6)
    assert 0.6**k + (100 / 220) ** k == pytest.approx(1, abs=1e-9)
    assert k == pytest.approx(1.0834, abs=1e-3)
    # the longshot loses relatively more margin than under the multiplicative method
    assert under[0] < (100 / 220) / (0.6 + 100 / 220)
    assert devig(np.array([110 / 210]), np.array([110 / 210]), "power")[0] == pytest.approx([0.5])


@given(american, american, st.sampled_from(["multiplicative", "power"]))
def test_fair_probabilities_of_a_two_way_market_sum_to_one(a, b, method):
    over, under = devig(implied_probability(np.array([a])), implied_probability(np.array([b])), method)
    assert over[0] + under[0] == pytest.approx(1.0, abs=1e-9)
    assert 0 < over[0] < 1


def test_kelly_and_ev_by_hand():
    # p = 0.55 at +100 (d = 2): full Kelly (1.1 - 1) / 1 = 0.10; a quarter is 0.025, capped at 0.02.
    assert expected_value(0.55, 2.0) == pytest.approx(0.10)
    assert kelly_stake(0.55, 2.0, fraction=0.25, cap=0.05) == pytest.approx(0.025)
    assert kelly_stake(0.55, 2.0, fraction=0.25, cap=0.02) == pytest.approx(0.02)
    # p = 0.55 at -110 (d = 1.90909): full = (1.05 - 1) / 0.90909 = 0.055; half Kelly 0.0275.
    assert kelly_stake(0.55, 1 + 100 / 110, fraction=0.5, cap=1.0) == pytest.approx(0.0275)
    assert kelly_stake(0.45, 2.0, fraction=1.0, cap=1.0) == 0.0


@given(st.floats(1.01, 20), st.floats(0.01, 1), st.floats(0.001, 1), st.floats(0, 1))
def test_kelly_is_zero_without_edge_and_never_above_the_cap(d, fraction, cap, p):
    assert kelly_stake(1 / d, d, fraction, cap) == pytest.approx(0.0, abs=1e-12)
    stake = float(kelly_stake(p, d, fraction, cap))
    assert 0.0 <= stake <= cap
    assert (stake > 0) == (p * d > 1 + 1e-12) or stake == pytest.approx(0.0, abs=1e-12)


def _t(minutes: int) -> np.datetime64:
    return np.datetime64("2025-11-01T23:00") + np.timedelta64(minutes, "m")


def test_market_consensus_and_line_shopping():
    quotes = [
        Quote("dk", _t(0), 20.5, -110, -110),
        Quote("fd", _t(0), 20.5, -105, -115),
        Quote("mgm", _t(0), 21.5, +100, -120),  # another line: not part of the consensus
        Quote("dk", _t(90), 22.5, -110, -110),  # after the pick time
    ]
    m = market_at(quotes, _t(60), "multiplicative")
    assert (m.line, m.books) == (20.5, 2)
    fd_over = (105 / 205) / (105 / 205 + 115 / 215)  # -105 implies 105/205
    assert m.fair_over == pytest.approx((0.5 + fd_over) / 2)
    assert (m.best_over, m.best_over_book) == (-105, "fd")
    assert (m.best_under, m.best_under_book) == (-110, "dk")
    assert market_at(quotes, _t(-1)) is None
    # a quote older than max_age is not a market at the pick: dk's and fd's 60-minute-old quotes drop out, mgm stays
    fresh = [*quotes[:3], Quote("mgm", _t(30), 21.5, +100, -120)]
    m = market_at(fresh, _t(60), "multiplicative", max_age=np.timedelta64(45, "m"))
    assert (m.line, m.books, m.best_over_book) == (21.5, 1, "mgm")
    assert market_at(quotes, _t(60), "multiplicative", max_age=np.timedelta64(30, "m")) is None


def test_closing_line_value_on_a_constructed_line_move():
    # Picked the over at 20.5 (-110/-110, fair 0.5); the line closed at 21.5 with the over at -120/+100.
    quotes = [Quote("dk", _t(0), 20.5, -110, -110), Quote("dk", _t(100), 21.5, -120, +100)]
    pick, close = market_at(quotes, _t(10), "multiplicative"), market_at(quotes, _t(110), "multiplicative")
    close_fair = (120 / 220) / (120 / 220 + 0.5)
    line_clv, prob_clv = closing_line_value(pick, close, over=True)
    assert line_clv == pytest.approx(1.0)
    assert prob_clv == pytest.approx(close_fair - 0.5)
    assert closing_line_value(pick, close, over=False) == pytest.approx((-1.0, 0.5 - close_fair))
