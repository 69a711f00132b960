"""Issue 19 acceptance: the walk-forward backtest over the lined points span 2025-10-21..11-15 evaluates at least 95%
of the lined played player-games - bootstrap days and first games included - reports the early-season rows apart
and pooled, and counts every excluded row by reason."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from nbaprops.features.early_season_features import TABLE
from nbaprops.models.backtest import run_backtest
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata
START, END = dt.date(2025, 10, 21), dt.date(2025, 11, 15)


@pytest.fixture(scope="module")
def report(built_db):
    con = connect(built_db, read_only=True)
    yield run_backtest(con, START, END, retrain="monthly")
    con.close()


def test_the_backtest_evaluates_95_percent_of_lined_played_rows_and_counts_the_rest_by_reason(report, built_db):
    con = connect(built_db, read_only=True)
    lined, unplaceable = con.execute(
        """
        SELECT count(*), count(*) FILTER (WHERE h.team IS NULL OR h.team NOT IN (g.home_team, g.away_team))
        FROM analytics.player_game_summary s JOIN raw.games g USING (game_id)
        ASOF LEFT JOIN analytics.player_game_summary h ON h.player_id = s.player_id AND h.game_date < s.game_date
        WHERE s.game_date BETWEEN ? AND ? AND s.status = 'active' AND s.points_line IS NOT NULL
        """,
        [START, END],
    ).fetchone()
    con.close()
    c = report.coverage
    assert c["lined_played_rows"] == lined > 2500
    assert c["evaluated"] + sum(c["excluded"].values()) == lined
    assert c["evaluated_share"] >= 0.95 and c["evaluated"] == report.counts["rows_with_line"]
    # rookies' and off-season movers' first games: no pre-game source here names their team
    assert c["excluded"]["no feature row: no team known before the game"] == unplaceable > 0
    assert report.counts["lines_without_feature_row"] == sum(
        v for k, v in c["excluded"].items() if k.startswith("no feature row")
    )


def test_early_season_rows_are_reported_apart_and_pooled_on_the_same_rows(report, built_db):
    early, rest = report.early_season["early_season"], report.early_season["established"]
    for key in ("evaluated_rows", "rows_with_line", "rows_without_line", "feature_rows"):
        assert early["counts"][key] + rest["counts"][key] == report.counts[key], key
    con = connect(built_db, read_only=True)
    bootstrap_lined = con.execute(
        f"SELECT count(*) FROM {TABLE} e JOIN analytics.player_game_summary s USING (game_id, player_id) "
        "WHERE e.game_date BETWEEN ? AND ? AND s.status = 'active' AND e.has_prop_line AND e.is_bootstrap",
        [START, END],
    ).fetchone()[0]
    con.close()
    assert early["counts"]["rows_with_line"] >= bootstrap_lined > 1300
    for part in (early, rest):
        n = part["counts"]["rows_with_line"]
        assert {r["rows"] for r in part["accuracy_with_line"]} == {n}  # every predictor and the line, same rows
        mae = {r["predictor"]: r["mae"] for r in part["accuracy_with_line"]}
        assert 2 < mae["line"] < 8 and 2 < mae["gbm"] < 8
        picks = part["hit_rates"]["gbm"][-1]
        assert picks["bets"] == 0 or picks["ci_low"] <= picks["hit_rate"] <= picks["ci_high"]
        assert part["bets"]["priced_rows"] <= n and np.isfinite(part["probability"]["model"]["brier"])
    text = report.to_text()
    assert "early-season rows (bootstrap days, first games)" in text and "evaluated" in text
