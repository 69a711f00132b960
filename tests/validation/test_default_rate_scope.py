"""The default-rate check's season limits judge a season, not the few dates a gate or a daily run reads: the first
days after a season's bootstrap (players' first games, no form yet) are over a season's limit by nature."""

import datetime as dt

import pytest

from nbaprops.validation import gate_checks, load_thresholds, run_checks

pytestmark = pytest.mark.realdata
TABLE = "features.ml_feature_store"
FIRST_DAYS = [dt.date(2024, 11, 6), dt.date(2024, 11, 7)]  # 2024-25's first dates after the 14 bootstrap days


def _strict(max_mean_per_season: float):
    t = load_thresholds()
    rates = t.default_rates.model_copy(update={"max_mean_per_season": max_mean_per_season})
    return t.model_copy(update={"default_rates": rates})


def test_a_few_early_dates_are_judged_by_the_per_date_limits_only(built):
    tight = _strict(0.5)  # far below any date's mean: a judged season would fail
    [gate] = [r for r in gate_checks(built, TABLE, FIRST_DAYS, thresholds=tight) if r.name == "default_rate"]
    assert gate.status == "pass", gate.message
    assert gate.details["mean_per_season"]["2024-25"] > 0.5  # the season's limit was not applied, not unmeasured


def test_a_whole_season_is_judged_by_the_season_limit(built):
    tight = _strict(0.5)
    [check] = [r for r in run_checks(built, tables=[TABLE], thresholds=tight) if r.name == "default_rate"]
    assert check.status == "fail" and "2024-25" in check.details["bad_seasons"], check.message
