"""Issue 17 item 4 and issue 15 item 6: the report's model section shows the latest stored backtest per market,
and its numbers are the backtest's own (an oracle: the JSON the backtest command printed), not a snapshot."""

from __future__ import annotations

import datetime as dt
import json
import math
from html import escape
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.models.backtest import profit_by_date
from nbaprops.models.betting import bet_summary
from nbaprops.models.player_prop_predictions import SCHEMA
from nbaprops.models.report import latest_backtests
from nbaprops.reports.model import PREDICTIONS, model_section, pick_sheet
from nbaprops.warehouse import connect


class Tables(HTMLParser):
    """Cell texts of every table with an id, and which tables sit inside which <details>."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.in_details: dict[str, str | None] = {}
        self._table = self._details = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "details":
            self._details = a.get("id")
        elif tag == "table" and "id" in a:
            self._table = a["id"]
            self.tables[self._table] = []
            self.in_details[self._table] = self._details
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag == "td" and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "details":
            self._details = None
        elif tag == "table":
            self._table = None
        elif tag == "td" and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def _shown(value, fmt="{:.3f}") -> str:
    return "-" if value is None else fmt.format(value)


@pytest.mark.realdata
def test_without_a_stored_backtest_the_section_prints_the_command_that_stores_one(stored_report):
    assert 'id="points-no-backtest"' in stored_report.before
    assert escape(stored_report.command) in stored_report.before
    assert stored_report.backtest["start"] == "2025-10-21"  # the corpus's first lined date: the command ran


@pytest.mark.realdata
def test_every_declared_market_has_a_section_with_the_span_of_its_own_lines(stored_report):
    """The corpus' PRA and threes lines (raw.prop_lines), not any points column, give their backtest commands; a
    market without lines is offered the latest month of games."""
    for market, span in (("pra", "2023-10-24 --end-date 2025-05-18"), ("threes", "2024-10-22 --end-date 2025-11-23")):
        assert f'id="{market}-no-backtest"' in stored_report.before
        assert f"backtest --market {market} --start-date {span}</code>" in stored_report.before
    for market in ("rebounds", "assists"):
        assert f'id="{market}-no-backtest"' in stored_report.html.read_text(encoding="utf-8")
    assert "backtest --market points --start-date 2025-10-21" in stored_report.command


@pytest.mark.realdata
def test_model_section_numbers_are_the_stored_backtests(stored_report):
    bt = stored_report.backtest
    con = connect(stored_report.db, read_only=True)
    stored = latest_backtests(con)["points"]
    con.close()
    assert stored.result == json.loads(json.dumps(bt))  # what the command printed is what it stored
    t = _tables(stored_report.html.read_text(encoding="utf-8")).tables
    accuracy = {row[0]: row for row in t["points-accuracy"][1:]}
    assert set(accuracy) == {a["predictor"] for a in bt["accuracy_with_line"]} >= {"gbm", "line", "season_average"}
    for a in bt["accuracy_with_line"]:
        assert accuracy[a["predictor"]][1:4] == [f"{a['rows']:,}", _shown(a["mae"]), _shown(a["rmse"])]
    bets = t["points-bets"][1:]
    assert len(bets) == len(bt["bets"]["table"]) == 6
    for row, b in zip(bets, bt["bets"]["table"], strict=True):
        assert row[0] == b["bucket"] and row[1] == f"{b['picks']:,}" and row[4] == _shown(b["hit_rate"])
        assert row[5] == f"{_shown(b['ci_low'])}-{_shown(b['ci_high'])}" and row[7] == _shown(b["roi"], "{:+.3f}")
    p = bt["probability"]
    assert t["points-probability"][1][2:] == [_shown(p["model"][k]) for k in ("brier", "log_loss", "ece")]
    assert t["points-probability"][2][2:] == [_shown(p["market"][k]) for k in ("brier", "log_loss", "ece")]
    picks = bt["bets"]["table"][0]
    clv = [_shown(picks["mean_line_clv"], "{:+.3f}"), _shown(picks["mean_prob_clv"], "{:+.4f}")]
    assert t["points-clv"][1][1:] == [f"{picks['picks']:,}", *clv, _shown(picks["beat_close"])]


@pytest.mark.realdata
def test_cumulative_profit_ends_at_the_picks_roi_times_their_count(stored_report):
    """Two computations of one number: the per-date profit the chart draws, and bet_summary's ROI of the picks."""
    html = stored_report.html.read_text(encoding="utf-8")
    for label, bets in (("model picks", stored_report.backtest["bets"]),
                        ("market-aware picks", stored_report.backtest["market_aware"]["bets"])):  # fmt: skip
        picks = bets["table"][0]
        days = bets["profit_by_date"]
        assert sum(d["picks"] for d in days) == picks["picks"] > 0
        assert sum(d["decided"] for d in days) == picks["decided"]
        total = picks["roi"] * picks["decided"]
        assert sum(d["units"] for d in days) == pytest.approx(total)
        assert f"{label}: {total:+.2f} units on {picks['decided']:,} decided picks" in html
        assert [d["date"] for d in days] == sorted({d["date"] for d in days})
        assert stored_report.backtest["start"] <= days[0]["date"] and days[-1]["date"] <= stored_report.backtest["end"]


@pytest.mark.realdata
def test_validation_passes_are_collapsed_below_warnings_and_failures(stored_report):
    html = stored_report.html.read_text(encoding="utf-8")
    parsed = _tables(html)
    passing, problems = parsed.tables["validation-passing"][1:], parsed.tables.get("validation", [[]])[1:]
    assert passing and all(row[0] == "pass" for row in passing)
    assert parsed.in_details["validation-passing"] == "validation-passes"
    assert all(row[0] in ("fail", "warn") for row in problems) and parsed.in_details.get("validation") is None
    if problems:
        assert html.index('id="validation"') < html.index('id="validation-passes"')


def test_a_warehouse_without_games_is_told_to_build_first(warehouse):
    html = model_section(warehouse)
    assert 'id="points-no-backtest"' in html and "<code>nbaprops build</code>" in html


def test_pick_sheet_lists_the_latest_dates_picks_per_market_biggest_edge_first(warehouse):
    rows = [("points", "2025-11-14", 1, "Ann Able", 20.5, 24.0, "OVER"),
            ("points", "2025-11-15", 1, "Ann Able", 20.5, 23.0, "OVER"),
            ("points", "2025-11-15", 2, "Bo Baker", 10.5, 5.0, "UNDER"),
            ("points", "2025-11-15", 3, "Cy Cole", 15.5, 15.0, "PASS"),
            ("threes", "2025-11-15", 3, "Cy Cole", 1.5, 2.5, "OVER")]  # fmt: skip
    warehouse.register("empty_predictions", SCHEMA.empty_table())  # the table as the pipeline writes it
    warehouse.execute(f"CREATE OR REPLACE TABLE {PREDICTIONS} AS SELECT * FROM empty_predictions")
    for market, day, player, name, line, value, pick in rows:
        warehouse.execute(
            f"INSERT INTO {PREDICTIONS} (market, system, model_version, game_id, player_id, game_date, player_name, "
            "team, opponent, predicted_value, line, edge, recommendation, confidence, feature_version) "
            "VALUES (?, 'gbm', 'v1', 'g1', ?, ?, ?, 'BOS', 'NYK', ?, ?, ? - ?, ?, 0.6, 1)",
            [market, player, day, name, value, line, value, line, pick],
        )
    html = pick_sheet(warehouse)
    assert "Pick sheet, 2025-11-15" in html and "3 picks (not PASS) of 4 predictions" in html
    picks = _tables(html).tables["picks"][1:]
    assert [(r[0], r[1], r[7], r[8]) for r in picks] == [
        ("points", "Bo Baker", "-5.5", "UNDER"),
        ("points", "Ann Able", "+2.5", "OVER"),
        ("threes", "Cy Cole", "+1.0", "OVER"),
    ]


BET = st.fixed_dictionaries({
    "bet": st.booleans(), "push": st.booleans(), "won": st.booleans(),
    "decimal": st.floats(1.2, 4.0), "stake": st.floats(0, 0.05),
    "line_clv": st.floats(-2, 2), "prob_clv": st.floats(-0.1, 0.1),
})  # fmt: skip


@given(st.lists(st.tuples(st.integers(0, 20), BET), max_size=60))
def test_profit_by_date_adds_up_to_the_picks_summary(dated):
    """Property: per-date flat profit, picks and decided picks add up to bet_summary's numbers for the picks."""
    dates = [dt.date(2025, 11, 1) + dt.timedelta(days=d) for d, _ in dated]
    bets = [b for _, b in dated]
    days = profit_by_date([np.datetime64(d) for d in dates], bets)
    summary = bet_summary([b for b in bets if b["bet"]])
    assert sum(d["picks"] for d in days) == summary["picks"]
    assert sum(d["decided"] for d in days) == summary["decided"]
    total = sum(d["units"] for d in days)
    assert total == pytest.approx(0.0 if math.isnan(summary["roi"]) else summary["roi"] * summary["decided"])
    assert [d["date"] for d in days] == sorted({str(dates[i]) for i, b in enumerate(bets) if b["bet"]})
