"""`nbaprops report`: one self-contained HTML file (inline CSS and SVG, no scripts, no CDN) that shows the model
(the latest stored backtest per market, today's picks), coverage, validation results, recent runs and feature default
rates - the answers to "is it any good?" and "is it complete?" people can look at."""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.reports.markup import num, table
from nbaprops.reports.model import model_section
from nbaprops.reports.svg import STATE_COLORS, bars, heatmap
from nbaprops.validation.checks.coverage import date_states
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope
from nbaprops.validation.tables import TableSpec, table_columns
from nbaprops.validation.thresholds import Thresholds
from nbaprops.warehouse import ledger

FEATURE_STORE = "features.ml_feature_store"
STATUS_COLORS = {"pass": "#2e7d32", "warn": "#ef6c00", "fail": "#c62828"}
CSS = """
body { font-family: sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 24px; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { color: #fff; font-weight: bold; border-radius: 3px; padding: 0 6px; }
code { font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
details summary { cursor: pointer; margin: 8px 0; }
"""


def coverage_section(con, specs: list[TableSpec], thresholds: Thresholds, calendar: SeasonCalendar) -> str:
    dates = list(calendar.game_dates)
    rows = {}
    for spec in specs:
        states = date_states(Scope.build(con, spec, dates, thresholds, calendar))
        rows[spec.name] = [str(states[d]) for d in dates]
    legend = ", ".join(f'<span style="color:{c}">&#9632;</span> {s.replace("_", " ")}' for s, c in STATE_COLORS.items())
    return (
        f"<h2>Coverage</h2><p>Every game date from {dates[0]} to {dates[-1]} ({len(dates)} dates), per table: "
        f"{legend}. Hover a block for its dates.</p>" + heatmap(rows, dates)
    )


def results_section(results: list[CheckResult]) -> str:
    """Failures and warnings first, in a table; the passing checks collapsed below them."""
    order = {"fail": 0, "warn": 1, "pass": 2}
    rows: dict[bool, list[list[str]]] = {True: [], False: []}
    for r in sorted(results, key=lambda r: (order[str(r.status)], r.table, r.name)):
        badge = f'<span class="status" style="background:{STATUS_COLORS[str(r.status)]}">{r.status}</span>'
        command = f"<code>{escape(r.suggested_command)}</code>" if r.suggested_command else ""
        rows[str(r.status) == "pass"].append(
            [badge, escape(r.table), escape(r.name), num(r.measured, "{:.4g}"), num(r.threshold, "{:.4g}"),
             "yes" if r.blocking else "no", escape(r.message), command]
        )  # fmt: skip
    headers = ["status", "table", "check", "measured", "threshold", "blocking", "message", "fix"]
    failing = sum(r.blocks for r in results)
    problems = table("validation", headers, rows[False]) if rows[False] else "<p>No warnings or failures.</p>"
    return (
        f"<h2>Validation</h2><p>{len(results)} checks: {len(rows[False])} warnings or failures ({failing} blocking), "
        f"{len(rows[True])} passing. The point-in-time audit recomputes dates: <code>nbaprops validate</code> runs "
        f"it.</p>{problems}"
        f'<details id="validation-passes"><summary>{len(rows[True])} passing checks</summary>'
        + table("validation-passing", headers, rows[True])
        + "</details>"
    )


def runs_section(con: duckdb.DuckDBPyConnection, limit: int = 20) -> str:
    runs = [(*r[:7], r[8], r[10], r[11]) for r in ledger.recent_runs(con, limit)]
    rows = []
    for run_id, command, start, end, status, n, started, seconds, error, details in runs:
        tables = (json.loads(details) if details else {}).get("tables", {})
        timings = "<br>".join(f"{escape(t)}: {v.get('seconds', '?')} s" for t, v in tables.items())
        rows.append(
            [str(run_id), escape(command), f"{start or ''} .. {end or ''}", escape(status), f"{n or 0:,}",
             f"{started:%Y-%m-%d %H:%M:%S}", "" if seconds is None else f"{seconds:.1f}", timings, escape(error)]
        )  # fmt: skip
    empty = "" if rows else "<p>No runs recorded yet.</p>"
    headers = ["run", "command", "range", "status", "rows", "started", "seconds", "per table", "error"]
    return "<h2>Recent runs</h2>" + empty + table("runs", headers, rows)


def feature_defaults_section(con: duckdb.DuckDBPyConnection) -> str:
    """Share of rows where each feature fell back to its default, over all seasons (`nbaprops feature-defaults`
    splits it by season). Left out while the feature store does not exist."""
    if not table_columns(con, FEATURE_STORE):
        return ""
    from nbaprops.features.defaults import default_rates

    totals: dict[str, list[float]] = {}
    for _season, feature, rows, share in default_rates(con):
        acc = totals.setdefault(feature, [0.0, 0.0])
        acc[0] += share * rows
        acc[1] += rows
    rates = {feature: hits / rows for feature, (hits, rows) in totals.items() if rows}
    return "<h2 id='feature-defaults'>Feature default rates</h2>" + bars(rates) if rates else ""


def render(
    con: duckdb.DuckDBPyConnection,
    *,
    specs: list[TableSpec],
    results: list[CheckResult],
    thresholds: Thresholds,
    calendar: SeasonCalendar,
) -> str:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    sections = [
        model_section(con),
        coverage_section(con, specs, thresholds, calendar) if calendar.game_dates else "<p>No games loaded.</p>",
        results_section(results),
        runs_section(con),
        feature_defaults_section(con),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>nbaprops report</title>'
        f"<style>{CSS}</style></head><body><h1>nbaprops warehouse report</h1><p>Generated {now}.</p>"
        + "".join(sections)
        + "</body></html>"
    )


def write_report(html: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
