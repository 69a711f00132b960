"""A day's pick sheet (what `daily` and `predict` print) and the grade of a graded day.

One function builds the sheet's rows for every format: the table people read, CSV and JSON for programs (stable
column names, NULL as empty / null). Per market and player-game the sheet shows the best system available
(ensemble, gbm, moving average); markets in their declared order, within one lined rows first and the biggest edges
on top; a value no source gave is NULL, shown as '-'.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from nbaprops.features import markets as declared
from nbaprops.warehouse.ledger import table_exists

PREDICTIONS = "predictions.player_prop_predictions"
SYSTEM_PREFERENCE = ("ensemble", "gbm", "moving_average")
# (column, heading in the table); the column names are the CSV header and the JSON keys
SHEET_COLUMNS = (
    ("market", "market"), ("player_name", "player"), ("team", "team"), ("opponent", "opp"),
    ("tipoff_et", "tip-off ET"), ("bookmaker", "book"), ("line", "line"), ("over_price", "over"),
    ("under_price", "under"), ("predicted_value", "predicted"), ("edge", "edge"), ("pick_probability", "prob"),
    ("pick", "pick"), ("model_version", "model"),
)  # fmt: skip
FORMATS = ("table", "csv", "json")
_NUMERIC = {"line", "over_price", "under_price", "predicted_value", "edge", "pick_probability"}
_PRICES = {"over_price", "under_price"}


def pick_sheet(con: duckdb.DuckDBPyConnection, day: dt.date, market: str | None = None) -> list[dict[str, Any]]:
    """The pick sheet of `day` (of one market, or of every market): one row per market and player-game, columns as
    SHEET_COLUMNS. The tip-off is the schedule's for that date (US Eastern; NULL for a postponed game the schedule
    still lists at its old date); the probability is the model's P(the side it leans to wins). An undeclared
    market is an error listing the declared ones."""
    if market is not None:
        declared.market(market)
    if not table_exists(con, PREDICTIONS):
        return []
    cursor = con.execute(
        f"""
        WITH tipoff AS (
            SELECT game_id, max(game_datetime_est) AS tipoff FROM raw.schedule WHERE game_date = $day GROUP BY 1
        )
        SELECT p.market, p.player_name, p.team, p.opponent, strftime(t.tipoff, '%H:%M') AS tipoff_et, p.bookmaker,
               p.line, p.over_price, p.under_price, round(p.predicted_value, 1) AS predicted_value,
               round(p.edge, 1) AS edge, round(p.confidence, 3) AS pick_probability, p.recommendation AS pick,
               p.model_version
        FROM {PREDICTIONS} p
        LEFT JOIN tipoff t USING (game_id)
        WHERE p.game_date = $day AND ($market IS NULL OR p.market = $market)
        QUALIFY row_number() OVER (PARTITION BY p.market, p.player_id, p.game_id
                                   ORDER BY list_position($preference, p.system)) = 1
        ORDER BY list_position($markets, p.market), p.market, p.line IS NULL, p.recommendation = 'PASS',
                 abs(p.edge) DESC NULLS LAST, t.tipoff, p.player_name
        """,
        {"day": day, "market": market, "preference": list(SYSTEM_PREFERENCE), "markets": list(declared.MARKETS)},
    )
    names = [d[0] for d in cursor.description]
    assert names == [c for c, _ in SHEET_COLUMNS], names  # the SELECT and the declared columns are one list
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "-"
    if column in _PRICES:
        return f"{value:+.0f}"
    if column == "pick_probability":
        return f"{value:.0%}"
    return str(value)


def print_sheet(console: Console, day: dt.date, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print(f"no predictions for {day}")
        return
    lined = sum(r["line"] is not None for r in rows)
    picks = sum(r["pick"] != "PASS" for r in rows)
    markets = ", ".join(dict.fromkeys(r["market"] for r in rows))
    table = Table(
        title=f"Pick sheet for {day} ({markets}): {len(rows)} player-games, {lined} with a line, {picks} picks"
    )
    for column, heading in SHEET_COLUMNS:
        table.add_column(heading, justify="right" if column in _NUMERIC else "left")
    for row in rows:
        table.add_row(*(_cell(c, row[c]) for c, _ in SHEET_COLUMNS))
    console.print(table)


def sheet_text(day: dt.date, rows: list[dict[str, Any]], fmt: str) -> str:
    """The sheet as plain text (the table), CSV (header = column names, NULL empty) or JSON (a list of objects,
    NULL null)."""
    if fmt == "table":
        console = Console(file=io.StringIO(), width=200, color_system=None)
        print_sheet(console, day, rows)
        return console.file.getvalue()
    if fmt == "json":
        return json.dumps(rows, indent=2, default=str) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[c for c, _ in SHEET_COLUMNS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    raise ValueError(f"format is one of {', '.join(FORMATS)}, not {fmt!r}")


def grade_line(con: duckdb.DuckDBPyConnection, day: dt.date) -> str | None:
    """One line per market on how `day`'s predictions did (the system the sheet would have shown), or None when
    nothing of that day is graded. Rows whose result the archive does not hold are counted, never graded."""
    if not table_exists(con, "predictions.prediction_accuracy"):
        return None
    rows = con.execute(
        """
        SELECT market, system, any_value(model_version), count(*) FILTER (WHERE outcome <> 'void'),
               count(*) FILTER (WHERE outcome = 'correct'), count(actual_value), avg(absolute_error),
               count(*) FILTER (WHERE void_reason = 'no_result')
        FROM predictions.prediction_accuracy WHERE game_date = $day
        GROUP BY market, system
        QUALIFY row_number() OVER (PARTITION BY market ORDER BY list_position($preference, system)) = 1
        ORDER BY list_position($markets, market), market
        """,
        {"day": day, "preference": list(SYSTEM_PREFERENCE), "markets": list(declared.MARKETS)},
    ).fetchall()
    return "\n".join(_grade(day, *row) for row in rows) or None


def _grade(day: dt.date, market: str, _system: str, version: str, bets: int, correct: int, played: int,
           mae: float | None, no_result: int) -> str:  # fmt: skip
    hits = f"{correct} of {bets} picks correct ({correct / bets:.0%})" if bets else "no picks to grade"
    error = f"; mean absolute error {mae:.1f} over {played} players who played" if played else ""
    missing = f"; {no_result} without a result in the archive" if no_result else ""
    return f"Graded {day} {market} ({version}): {hits}{error}{missing}"
