"""Predictions per market on the real corpus. A toy market declared here (points' form under the name rebounds,
result `pts + 0`, priced on the points lines) flows through the predictions table, grading and the pick sheet as
any declared market would; a market whose form columns the feature store does not declare is skipped, and says so
(a logged warning, the partition's version and the daily notes), never silently."""

from __future__ import annotations

import datetime as dt
import logging
import shutil

import numpy as np
import pytest

from nbaprops.context import RunContext
from nbaprops.features import markets
from nbaprops.features.early_season_features import FEATURE_ROWS
from nbaprops.features.markets import POINTS, Market
from nbaprops.models import player_prop_predictions
from nbaprops.models.config import ModelConfig
from nbaprops.models.prediction_accuracy import TRANSFORM as GRADE
from nbaprops.pipeline.daily import model_notes
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch
from nbaprops.reports.predictions import SHEET_COLUMNS, pick_sheet
from nbaprops.settings import get_settings
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata
DAY = dt.date(2025, 11, 10)  # a points-lined date
TOY = Market("rebounds", "Toy: points under another name.", result="pts + 0", line_market="player_points",
             stat="points", min_edge=1.0, min_sigma=3.0)  # fmt: skip
UNDECLARED = Market("assists", "Toy: form columns nobody declared.", result="ast", line_market="player_assists",
                    stat="toy_missing", min_edge=1.0, min_sigma=1.5)  # fmt: skip


@pytest.fixture
def toy(built_db, tmp_path, monkeypatch, caplog):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    monkeypatch.setattr(markets, "MARKETS", {m.name: m for m in (POINTS, TOY, UNDECLARED)})
    player_prop_predictions._warn_skipped.cache_clear()
    con = connect(path)
    settings = run_parameters(con)
    with caplog.at_level(logging.WARNING, logger="nbaprops.models"):
        write_batch(con, player_prop_predictions.TRANSFORM, [DAY], run_id=1, settings=settings)
    write_batch(con, GRADE, [DAY], run_id=1, settings=settings)
    yield con, settings
    con.close()


def by_market(con, sql: str) -> dict[str, dict]:
    rows = con.execute(sql, [DAY]).fetchall()
    out: dict[str, dict] = {}
    for market, key, *values in rows:
        out.setdefault(market, {})[key] = tuple(values)
    return out


def test_the_toy_market_is_predicted_on_its_own_lines_and_form(toy):
    con, _ = toy
    rows = by_market(
        con,
        "SELECT market, game_id || ':' || player_id, system, bookmaker, line, over_price, under_price, "
        "predicted_value FROM predictions.player_prop_predictions WHERE game_date = ?",
    )
    features = con.execute(f"SELECT count(*) FROM {FEATURE_ROWS} WHERE game_date = ?", [DAY]).fetchone()[0]
    assert set(rows) == {"points", "rebounds"}  # the undeclared market has no rows
    assert len(rows["rebounds"]) == len(rows["points"]) == features > 100
    # priced on the points lines: the same bookmaker, line and prices on every row
    assert {k: v[:5] for k, v in rows["rebounds"].items()} == {k: v[:5] for k, v in rows["points"].items()}
    assert sum(v[2] is not None for v in rows["rebounds"].values()) > 100
    # the rule system over the toy's form columns, without the points-only adjustments
    form = con.execute(
        "SELECT game_id || ':' || player_id, points_avg_last_5, points_avg_last_10, points_avg_season "
        f"FROM {FEATURE_ROWS} WHERE game_date = ?",
        [DAY],
    ).fetchall()
    cfg = ModelConfig().moving_average
    expected = {k: max(cfg.weight_last_5 * a + cfg.weight_last_10 * b + cfg.weight_season * c, 0.0)
                for k, a, b, c in form if None not in (a, b, c)}  # fmt: skip
    got = {k: v[5] for k, v in rows["rebounds"].items() if k in expected}
    assert len(got) > 100 and got == pytest.approx(expected)
    adjusted = [k for k in expected if rows["points"][k][5] != pytest.approx(expected[k])]
    assert adjusted  # points' own adjustments moved some predictions: the toy did not borrow them


def test_the_toy_market_is_graded_against_its_result(toy):
    con, _ = toy
    graded = by_market(con, "SELECT market, game_id || ':' || player_id, actual_value, outcome FROM "
                            "predictions.prediction_accuracy WHERE game_date = ?")  # fmt: skip
    pts = dict(con.execute(
        "SELECT game_id || ':' || player_id, pts FROM analytics.player_game_summary WHERE game_date = ? "
        "AND status = 'active'", [DAY]).fetchall())  # fmt: skip
    toy_actual = {k: v[0] for k, v in graded["rebounds"].items() if v[0] is not None}
    assert len(toy_actual) > 100 and toy_actual == {k: float(pts[k]) for k in toy_actual}
    assert set(graded["rebounds"]) == set(graded["points"])
    outcomes = {v[1] for v in graded["rebounds"].values()}
    assert {"correct", "incorrect", "void"} <= outcomes


def test_the_sheet_carries_the_market(toy):
    con, _ = toy
    assert SHEET_COLUMNS[0] == ("market", "market")
    every = pick_sheet(con, DAY)
    toy_sheet = pick_sheet(con, DAY, "rebounds")
    points = pick_sheet(con, DAY, "points")
    assert {r["market"] for r in toy_sheet} == {"rebounds"} and len(toy_sheet) == len(points) > 100
    assert every == points + toy_sheet  # markets in declared order, each market's rows as its own sheet
    assert {(r["player_name"], r["line"]) for r in toy_sheet} == {(r["player_name"], r["line"]) for r in points}
    assert pick_sheet(con, DAY, "assists") == []  # declared, not predicted
    with pytest.raises(ValueError, match="unknown market 'pra'"):
        pick_sheet(con, DAY, "pra")


def test_a_market_without_its_form_columns_is_skipped_visibly(toy, caplog):
    con, settings = toy
    warned = [r.getMessage() for r in caplog.get_records("setup") if r.name == "nbaprops.models"]
    assert warned == ["market assists is not predicted: the feature store does not declare its form columns "
                      "toy_missing_avg_last_5, toy_missing_avg_last_10, toy_missing_avg_season, "
                      "toy_missing_std_last_10"]  # fmt: skip
    version = player_prop_predictions.TRANSFORM.versions(con, [DAY], settings)[DAY]
    assert version.startswith("points=no-model,rebounds=no-model,assists=undeclared.")
    notes = model_notes(RunContext(get_settings(), con), DAY)
    assert any(n.startswith("no rebounds gbm model") for n in notes)
    assert "assists: not predicted, the feature store does not declare toy_missing_avg_last_5" in " ".join(notes)
    assert not np.isin("assists", con.execute(  # the built warehouse grades the real assists market on other dates
        "SELECT DISTINCT market FROM predictions.prediction_accuracy WHERE game_date = ?", [DAY]
    ).fetchnumpy()["market"]).any()  # fmt: skip
