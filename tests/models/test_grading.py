"""Grading, rows in and rows out: the prediction_accuracy transform on a tiny hand-made warehouse, written by the
pipeline's writer. Pushes, DNPs, missing lines and PASS are void; a re-grade replaces."""

import datetime as dt

import pytest

from nbaprops.models.prediction_accuracy import TRANSFORM
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch

DAY = dt.date(2025, 11, 10)


@pytest.fixture
def graded(warehouse):
    con = warehouse
    con.execute(
        "CREATE TABLE analytics.player_game_summary AS SELECT * FROM (VALUES "
        "('g1', 1, DATE '2025-11-10', 'active', 21), ('g1', 2, DATE '2025-11-10', 'active', 20), "
        "('g1', 3, DATE '2025-11-10', 'dnp', NULL), ('g1', 4, DATE '2025-11-10', 'inactive', NULL), "
        "('g1', 5, DATE '2025-11-10', 'active', 10), ('g1', 6, DATE '2025-11-10', 'active', 30), "
        "('g1', 7, DATE '2025-11-10', 'active', 12)"
        ") t(game_id, player_id, game_date, status, pts)"
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
        con.execute(
            "INSERT INTO predictions.player_points_predictions VALUES "
            "('gbm', 'v1', 'g1', ?, ?, ?, ?, -110, -110, ? - ?, ?, 0.6, 1, now())",
            [player, DAY, predicted, line, predicted, line, rec],
        )
    con.execute(  # a game not played yet is not graded
        "INSERT INTO predictions.player_points_predictions VALUES "
        "('gbm', 'v1', 'g2', 1, ?, 20, 18.5, -110, -110, 1.5, 'OVER', 0.6, 1, now())",
        [DAY],
    )
    return con, grade(con)


def grade(con) -> dict[str, int]:
    write_batch(con, TRANSFORM, [DAY], run_id=1, settings=run_parameters(con))
    counts = dict(con.execute("SELECT outcome, count(*) FROM predictions.prediction_accuracy GROUP BY 1").fetchall())
    total = con.execute("SELECT count(*) FROM predictions.player_points_predictions").fetchone()[0]
    return {**counts, "ungraded": total - sum(counts.values())}


def outcome(con, player):
    return con.execute(
        "SELECT outcome, void_reason, absolute_error, signed_error, within_3, within_5 "
        "FROM predictions.prediction_accuracy WHERE player_id = ? AND game_id = 'g1'",
        [player],
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
    assert counts == {"correct": 1, "incorrect": 1, "void": 6, "ungraded": 1}


def test_regrading_replaces(graded):
    con, _ = graded
    assert grade(con) == {"correct": 1, "incorrect": 1, "void": 6, "ungraded": 1}
    assert con.execute("SELECT count(*) FROM predictions.prediction_accuracy").fetchone()[0] == 8
