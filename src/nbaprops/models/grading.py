"""Grade stored predictions against results into predictions.prediction_accuracy (a date range is replaced)."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import duckdb

TABLE = "predictions.prediction_accuracy"
_SQL = resources.files("nbaprops.models").joinpath("grading.sql").read_text(encoding="utf-8")


def grade(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> dict[str, int]:
    """Replace the grades of [start, end]; counts of graded rows by outcome (plus `ungraded`: no box score yet)."""
    params = {"start_date": start, "end_date": end}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {TABLE} WHERE game_date BETWEEN $start_date AND $end_date", params)
        con.execute(f"INSERT INTO {TABLE} BY NAME {_SQL}", params)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    counts = dict(
        con.execute(
            f"SELECT outcome, count(*) FROM {TABLE} WHERE game_date BETWEEN $start_date AND $end_date GROUP BY 1",
            params,
        ).fetchall()
    )
    total = con.execute(
        "SELECT count(*) FROM predictions.player_points_predictions WHERE game_date BETWEEN $start_date AND $end_date",
        params,
    ).fetchone()[0]
    counts["ungraded"] = total - sum(counts.values())
    return counts
