"""Grading, rows in and rows out: the prediction_accuracy transform on a tiny hand-made warehouse, written by the
pipeline's writer. Each market is graded against its own declared result; pushes, DNPs, missing results, missing
lines and PASS are void; a re-grade replaces."""

import datetime as dt

import duckdb
import pytest

from nbaprops.features.markets import MARKETS
from nbaprops.models.prediction_accuracy import TRANSFORM
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch

DAY = dt.date(2025, 11, 10)
PREDICTIONS = "predictions.player_prop_predictions"


def predict(con, market, player, predicted, line, rec, game="g1"):
    con.execute(
        f"INSERT INTO {PREDICTIONS} VALUES (?, 'gbm', 'v1', ?, ?, ?, ?, ?, -110, -110, ? - ?, ?, 0.6, 1, now())",
        [market, game, player, DAY, predicted, line, predicted, line, rec],
    )


@pytest.fixture
def graded(warehouse):
    con = warehouse
    con.execute(
        "CREATE TABLE analytics.player_game_summary AS SELECT * FROM (VALUES "
        "('g1', 1, DATE '2025-11-10', 'active', 21, 5, 4, NULL), ('g1', 2, DATE '2025-11-10', 'active', 20, 1, 1, 2), "
        "('g1', 3, DATE '2025-11-10', 'dnp', NULL, NULL, NULL, NULL), "
        "('g1', 4, DATE '2025-11-10', 'inactive', NULL, NULL, NULL, NULL), "
        "('g1', 5, DATE '2025-11-10', 'active', 10, 2, 2, 3), ('g1', 6, DATE '2025-11-10', 'active', 30, 9, 9, 4), "
        "('g1', 7, DATE '2025-11-10', 'active', 12, 0, 0, 1)"
        ") t(game_id, player_id, game_date, status, pts, reb, ast, fg3m)"
    )
    rows = [  # player, predicted, line, recommendation
        (1, 25.0, 20.5, "OVER"),  # 21 > 20.5: correct
        (2, 25.0, 20.0, "OVER"),  # 20 = 20.0: push
        (3, 25.0, 20.5, "OVER"),  # DNP
        (4, 25.0, 20.5, "OVER"),  # inactive
        (5, 15.0, None, "PASS"),  # no line
        (6, 24.0, 23.5, "PASS"),  # PASS
        (7, 18.0, 14.5, "OVER"),  # 12 < 14.5: incorrect
        (8, 9.0, 8.5, "OVER"),  # not in the box score
    ]
    for player, predicted, line, rec in rows:
        predict(con, "points", player, predicted, line, rec)
    predict(con, "points", 1, 20, 18.5, "OVER", game="g2")  # a game not played yet is not graded
    predict(con, "pra", 1, 28.0, 29.5, "UNDER")  # 21 + 5 + 4 = 30 > 29.5: incorrect (points alone would win)
    predict(con, "pra", 2, 25.0, 21.5, "OVER")  # 20 + 1 + 1 = 22 > 21.5: correct (a push on points)
    predict(con, "threes", 1, 3.0, 2.5, "OVER")  # the archive has no 3PM for him: no_result, never guessed
    predict(con, "threes", 5, 3.2, 2.5, "OVER")  # 3 > 2.5: correct (10 points would say nothing)
    predict(con, "threes", 7, 2.0, 1.0, "OVER")  # 1 = 1.0: push
    return con, grade(con)


def grade(con) -> dict[str, int]:
    write_batch(con, TRANSFORM, [DAY], run_id=1, settings=run_parameters(con))
    counts = dict(con.execute("SELECT outcome, count(*) FROM predictions.prediction_accuracy GROUP BY 1").fetchall())
    total = con.execute(f"SELECT count(*) FROM {PREDICTIONS}").fetchone()[0]
    return {**counts, "ungraded": total - sum(counts.values())}


def outcome(con, player, market="points"):
    return con.execute(
        "SELECT outcome, void_reason, absolute_error, signed_error, within_3, within_5 "
        "FROM predictions.prediction_accuracy WHERE player_id = ? AND game_id = 'g1' AND market = ?",
        [player, market],
    ).fetchone()


def test_push_and_dnp_are_void(graded):
    con, _ = graded
    assert outcome(con, 2)[:2] == ("void", "push")
    assert outcome(con, 3)[:2] == ("void", "dnp")
    assert outcome(con, 4)[:2] == ("void", "inactive")
    assert outcome(con, 8)[:2] == ("void", "no_box_score")


def test_no_line_and_pass_are_void(graded):
    con, _ = graded
    assert outcome(con, 5)[:2] == ("void", "no_line")
    assert outcome(con, 6)[:2] == ("void", "pass")


def test_correct_incorrect_and_errors(graded):
    con, counts = graded
    assert outcome(con, 1) == ("correct", None, 4.0, 4.0, False, True)
    assert outcome(con, 7) == ("incorrect", None, 6.0, 6.0, False, False)
    assert outcome(con, 3)[2:] == (None, None, None, None)  # a DNP has no error
    assert outcome(con, 5)[2:4] == (5.0, 5.0)  # a void bet still has an error when the player played
    assert counts == {"correct": 3, "incorrect": 2, "void": 8, "ungraded": 1}


def test_each_market_is_graded_against_its_own_result(graded):
    con, _ = graded
    actual = dict(
        con.execute(
            "SELECT market || ':' || player_id, actual_value FROM predictions.prediction_accuracy WHERE market <> "
            "'points'"
        ).fetchall()
    )
    assert actual == {"pra:1": 30.0, "pra:2": 22.0, "threes:1": None, "threes:5": 3.0, "threes:7": 1.0}
    assert outcome(con, 1, "pra") == ("incorrect", None, 2.0, -2.0, True, True)
    assert outcome(con, 2, "pra")[:2] == ("correct", None)
    assert outcome(con, 5, "threes")[:2] == ("correct", None)
    assert outcome(con, 7, "threes")[:2] == ("void", "push")


def test_a_result_the_archive_lacks_is_void_no_result(graded):
    con, _ = graded
    assert outcome(con, 1, "threes") == ("void", "no_result", None, None, None, None)
    reasons = con.execute(
        "SELECT void_reason, count(*) FROM predictions.prediction_accuracy WHERE outcome = 'void' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert reasons == [("dnp", 1), ("inactive", 1), ("no_box_score", 1), ("no_line", 1), ("no_result", 1),
                       ("pass", 1), ("push", 2)]  # fmt: skip


def test_the_result_expressions_are_the_declared_ones():
    for market in MARKETS.values():
        assert f"({market.result})::DOUBLE AS result_{market.name}" in TRANSFORM.sql


def test_a_prediction_of_an_undeclared_market_is_an_error(graded):
    con, _ = graded
    predict(con, "steals", 1, 1.0, 0.5, "OVER")
    with pytest.raises(duckdb.Error, match="undeclared market: steals"):
        grade(con)


def test_regrading_replaces(graded):
    con, _ = graded
    assert grade(con) == {"correct": 3, "incorrect": 2, "void": 8, "ungraded": 1}
    assert con.execute("SELECT count(*) FROM predictions.prediction_accuracy").fetchone()[0] == 13
