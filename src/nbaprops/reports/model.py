"""The model section of the HTML report: per declared market (features/markets.py), the latest backtest
`nbaprops backtest` stored in ops.backtests (calibration against the market, hit rate by edge bucket, cumulative
profit, CLV, MAE against the baselines and the line), then the pick sheet of the latest predicted date. Nothing is
fitted here, so the report stays fast."""

from __future__ import annotations

import datetime as dt
import shlex
from html import escape
from itertools import accumulate

import duckdb

from nbaprops.features.markets import DECLARED, Market
from nbaprops.models.report import StoredBacktest, latest_backtests
from nbaprops.reports.markup import num, table
from nbaprops.reports.svg import bars, calibration_chart, interval_chart, timeline_chart
from nbaprops.validation.tables import table_columns
from nbaprops.warehouse.connection import database_file

PREDICTIONS = "predictions.player_prop_predictions"
SUMMARY = "analytics.player_game_summary"
LINES = "raw.prop_lines"
BET_HEADERS = ["bucket", "picks", "decided", "wins", "hit rate", "95% interval", "break-even", "ROI", "Kelly ROI"]


def model_section(con: duckdb.DuckDBPyConnection, markets: tuple[Market, ...] = DECLARED) -> str:
    stored = latest_backtests(con)
    parts = [market_section(con, m, stored.get(m.name)) for m in markets]
    return '<h2 id="model">Model</h2>' + "".join(parts) + pick_sheet(con)


def backtest_command(con: duckdb.DuckDBPyConnection, market: Market) -> str:
    """The command that stores a backtest of `market` over the span of its lines in raw.prop_lines (or the
    warehouse's latest month of games when the market has no line)."""
    lined = last = None
    if table_columns(con, LINES):
        first, final = con.execute(
            f"SELECT min(game_date), max(game_date) FROM {LINES} WHERE market = ?", [market.line_market]
        ).fetchone()
        lined = (first, final) if first else None
    if lined is None and table_columns(con, SUMMARY):
        (last,) = con.execute(f"SELECT max(game_date) FROM {SUMMARY}").fetchone()
    span = lined or ((last - dt.timedelta(days=30), last) if last else None)
    if span is None:
        return "nbaprops build"  # no games yet: a backtest needs the feature store first
    return _command(con, f"--market {market.name} --start-date {span[0]} --end-date {span[1]}")


def _command(con: duckdb.DuckDBPyConnection, options: str) -> str:
    db = database_file(con)
    return f"nbaprops {f'--db {shlex.quote(str(db))} ' if db else ''}backtest {options}"


def market_section(con: duckdb.DuckDBPyConnection, market: Market, stored: StoredBacktest | None) -> str:
    name = market.name
    if stored is None:
        return (
            f'<h3 id="{name}-model">{escape(name)}</h3><p id="{name}-no-backtest">No backtest stored for {name} yet; '
            f"this command runs one and stores it for this report: <code>{escape(backtest_command(con, market))}"
            "</code></p>"
        )
    r = stored.result
    counts = r["counts"]
    again = f"--market {name} --start-date {r['start']} --end-date {r['end']} --retrain {r['retrain']} --availability "
    again += r["availability"]
    header = (
        f'<h3 id="{name}-model">{escape(name)}</h3><p>Backtest {stored.backtest_id} stored '
        f"{stored.created_at:%Y-%m-%d %H:%M}: walk-forward {r['start']} .. {r['end']}, retrained {r['retrain']}, "
        f"{r['availability']} availability{' (an upper bound)' if r['availability'] == 'oracle' else ''}; "
        f"{counts['evaluated_rows']:,} played player-games, {counts['rows_with_line']:,} with a line. "
        f"Run it again: <code>{escape(_command(con, again))}</code></p>"
    )
    return header + "".join(
        (_probability(name, r), _hit_rates(name, r), _profit(name, r), _clv(name, r), _accuracy(name, r))
    )


def _probability(name: str, r: dict) -> str:
    points = calibration_chart(r["calibration"], "mean_predicted", "mean_actual", _top(r["calibration"]), name, "{:g}")
    p = r.get("probability")
    if not p:
        return f"<h4>Calibration</h4><p>No lined rows in this span: no P(over) to calibrate.</p>{points}"
    curves = {"model": p["model"]["reliability"], "market (vig-free)": p["market"]["reliability"]}
    rows = [[who, f"{p['rows']:,}", num(p[key]["brier"]), num(p[key]["log_loss"]), num(p[key]["ece"])]
            for who, key in (("model", "model"), ("market (vig-free)", "market"))]  # fmt: skip
    return (
        "<h4>Calibration</h4><p>P(over the line): the quantile model against the vig-free market on the same rows "
        f"(over rate {num(p['over_rate'])}); 80% interval coverage {num(p['coverage_80'])} on "
        f"{p['coverage_rows']:,} rows. Right: mean actual against mean predicted {escape(name)} per decile.</p>"
        '<div class="charts">'
        + calibration_chart(curves, "mean_predicted", "observed", 1.0, "P(over)", "{:.1f}")
        + points
        + "</div>"
        + table(f"{name}-probability", ["predictor", "rows", "Brier", "log loss", "ECE"], rows)
    )


def _top(calibration: dict[str, list[dict]]) -> float:
    values = [b[k] for bins in calibration.values() for b in bins for k in ("mean_predicted", "mean_actual")]
    return max([*values, 1.0]) * 1.05


def _hit_rates(name: str, r: dict) -> str:
    bets = r.get("bets")
    if not bets:
        return ""
    chart = interval_chart(
        [{"label": b["bucket"], "value": b["hit_rate"], "low": b["ci_low"], "high": b["ci_high"],
          "reference": b["break_even"], "n": b["decided"]} for b in bets["table"]]
    )  # fmt: skip
    rows = [[escape(b["bucket"]), f"{b['picks']:,}", f"{b['decided']:,}", f"{b['wins']:,}", num(b["hit_rate"]),
             f"{num(b['ci_low'])}-{num(b['ci_high'])}", num(b["break_even"]), num(b["roi"], "{:+.3f}"),
             num(b["kelly_roi"], "{:+.3f}")] for b in bets["table"]]  # fmt: skip
    return (
        f"<h4>Hit rate by edge bucket</h4><p>{bets['priced_rows']:,} rows with a market at the pick time; the edge is "
        "model P(side) minus the vig-free market's. Dots: hit rate with its Wilson 95% interval; red: the "
        "break-even of the prices taken.</p>" + chart + table(f"{name}-bets", BET_HEADERS, rows)
    )


def _cumulative(days: list[dict]) -> list[tuple[dt.date, float]]:
    return list(zip((dt.date.fromisoformat(d["date"]) for d in days), accumulate(d["units"] for d in days),
                    strict=True))  # fmt: skip


def _profit(name: str, r: dict) -> str:
    strategies = {"model picks": r.get("bets", {}), "market-aware picks": r.get("market_aware", {}).get("bets", {})}
    series = {who: _cumulative(b["profit_by_date"]) for who, b in strategies.items() if "profit_by_date" in b}
    if not series:
        return ""
    totals = "; ".join(
        f"{who}: {points[-1][1] if points else 0.0:+.2f} units on "
        f"{sum(d['decided'] for d in strategies[who]['profit_by_date']):,} decided picks"
        for who, points in series.items()
    )
    return (
        f'<h4>Cumulative profit</h4><p id="{name}-profit">Flat 1 unit on each pick (EV at or above the minimum) at '
        f"its best price, a push returns the stake. {totals}.</p>" + timeline_chart(series, "profit (units)")
    )


def _clv(name: str, r: dict) -> str:
    strategies = {"model picks": r.get("bets"), "market-aware picks": r.get("market_aware", {}).get("bets")}
    rows = [[who, f"{p['picks']:,}", num(p["mean_line_clv"], "{:+.3f}"), num(p["mean_prob_clv"], "{:+.4f}"),
             num(p["beat_close"])] for who, b in strategies.items() if b for p in b["table"][:1]]  # fmt: skip
    if not rows:
        return ""
    return (
        "<h4>Closing line value</h4><p>The pick's line and fair probability against the last snapshot before "
        "tip-off: positive means the market moved towards the pick.</p>"
        + table(f"{name}-clv", ["strategy", "picks", "mean line CLV", "mean P CLV", "beat the close"], rows)
    )


def _accuracy(name: str, r: dict) -> str:
    lined = r["counts"]["rows_with_line"] > 0
    accuracy = r["accuracy_with_line"] if lined else r["accuracy"]
    rows = [[escape(a["predictor"]), f"{a['rows']:,}", num(a["mae"]), num(a["rmse"]), num(a["within_3"]),
             num(a["within_5"])] for a in accuracy]  # fmt: skip
    maes = {a["predictor"]: a["mae"] for a in accuracy if a["mae"] is not None}
    return (
        f"<h4>Mean absolute error</h4><p>Every predictor on the same {'lined ' if lined else ''}rows"
        f"{', the line itself included' if lined else ''}.</p>"
        + bars(maes, top=max(maes.values(), default=1.0) * 1.1, fmt="{:.3f}", label_width=140)
        + table(f"{name}-accuracy", ["predictor", "rows", "MAE", "RMSE", "within 3", "within 5"], rows)
    )


def pick_sheet(con: duckdb.DuckDBPyConnection) -> str:
    """The picks (not PASS) of the latest date with predictions, every market and system, biggest edge first."""
    if not table_columns(con, PREDICTIONS):
        return ""
    day, total = con.execute(
        f"SELECT game_date, count(*) FROM {PREDICTIONS} GROUP BY game_date ORDER BY game_date DESC LIMIT 1"
    ).fetchone() or (None, 0)
    if day is None:
        return "<h3 id='pick-sheet'>Pick sheet</h3><p>No predictions stored yet: <code>nbaprops predict</code>.</p>"
    rows = con.execute(
        f"""
        SELECT market, player_name, team, opponent, system, line, predicted_value, edge, recommendation, confidence
        FROM {PREDICTIONS}
        WHERE game_date = ? AND recommendation <> 'PASS'
        ORDER BY list_position(?, market), market, system, abs(edge) DESC, player_name
        """,
        [day, [m.name for m in DECLARED]],
    ).fetchall()
    cells = [[escape(market), escape(str(player or "?")), escape(str(team or "")), escape(str(opp or "")),
              escape(system), num(line, "{:.1f}"), num(value, "{:.1f}"), num(edge, "{:+.1f}"), escape(pick),
              num(conf, "{:.2f}")]
             for market, player, team, opp, system, line, value, edge, pick, conf in rows]  # fmt: skip
    headers = ["market", "player", "team", "opp", "system", "line", "predicted", "edge", "pick", "confidence"]
    return (
        f"<h3 id='pick-sheet'>Pick sheet, {day}</h3><p>{len(rows):,} picks (not PASS) of {total:,} predictions on "
        "the latest predicted date.</p>" + (table("picks", headers, cells) if rows else "")
    )
