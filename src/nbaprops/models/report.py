"""The backtest report as data (to_dict for JSON, stored in ops.backtests for the HTML report) and text for the
terminal."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field

import duckdb

from nbaprops.models.metrics import BREAK_EVEN_AT_MINUS_110

BACKTESTS = "ops.backtests"

BET_COLUMNS = ("bucket", "picks", "wins", "pushes", "hit_rate", "ci_low", "ci_high", "break_even", "roi", "kelly_roi",
               "mean_line_clv", "mean_prob_clv", "beat_close")  # fmt: skip


@dataclass(frozen=True)
class BacktestReport:
    start: str
    end: str
    retrain: str
    periods: list[dict]  # one per retraining: span, training rows, last training date, timings
    counts: dict[str, int]  # feature rows, evaluated rows, rows with / without a line, lines without features
    accuracy: list[dict]  # every system and baseline on the same played rows
    accuracy_with_line: list[dict]  # the same on the rows with a real line, plus the line itself
    calibration: dict[str, list[dict]]  # per system: deciles of the prediction, mean predicted vs actual
    hit_rates: dict[str, list[dict]]  # per system: edge buckets and picks with Wilson interval and ROI
    settings: dict
    timings: dict[str, float]
    availability: str  # live, or oracle (an upper bound: the archive's active lists of the game's date)
    # the quantile model's P(over the line) vs the vig-free market's on the same rows, 80% interval coverage
    probability: dict = field(default_factory=dict)
    bets: dict = field(default_factory=dict)  # priced picks at the pick time: hit rate, ROI, CLV, by edge bucket
    # the model's and the market's P(over) blended by a logistic fit on earlier dates: calibration and bets
    market_aware: dict = field(default_factory=dict)
    break_even_at_minus_110: float = field(default=BREAK_EVEN_AT_MINUS_110)
    market: str = "points"  # the prop market backtested
    # the same figures on the early-season rows (bootstrap days, first games) and on the others, apart
    early_season: dict = field(default_factory=dict)
    # the played player-games with a line: how many were evaluated, and why the others were not
    coverage: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _finite(asdict(self))

    def to_text(self) -> str:
        c = self.counts
        out = [
            f"walk-forward {self.market} backtest {self.start} .. {self.end}, retrained {self.retrain} "
            f"({len(self.periods)} models), "
            f"{self.availability} availability" + (" (an upper bound)" if self.availability == "oracle" else ""),
            f"evaluated {c['evaluated_rows']:,} played player-games of {c['feature_rows']:,} feature rows "
            f"({c['not_played_rows']:,} not played: DNP, inactive or no result)",
            "",
            "accuracy, all evaluated rows:",
            *_table(self.accuracy, ("predictor", "rows", "mae", "rmse", "within_3", "within_5")),
            "",
            f"accuracy, rows with a real line ({c['rows_with_line']:,}):",
        ]
        if c["rows_with_line"]:
            out += _table(self.accuracy_with_line, ("predictor", "rows", "mae", "rmse", "within_3", "within_5"))
            for system, rows in self.hit_rates.items():
                out += ["", f"hit rate vs the line, {system} (break-even at -110: {self.break_even_at_minus_110:.1%}):"]
                out += _table(rows, ("bucket", "bets", "wins", "pushes", "hit_rate", "ci_low", "ci_high", "roi"))
        out += self._market_text()
        out += self._early_season_text()
        out += [
            "",
            f"rows without a line (excluded from hit rates): {c['rows_without_line']:,}; played player-games with a "
            f"line but no feature row (not evaluated): {c['lines_without_feature_row']:,}",
            "timings: " + ", ".join(f"{k.removesuffix('_seconds').replace('_', ' ')} {v:.1f} s"
                                    for k, v in self.timings.items()),
        ]
        return "\n".join(out)

    def _market_text(self) -> list[str]:
        if not self.probability:
            return []
        p = self.probability
        rows = [{"predictor": name, **{k: p[name][k] for k in ("brier", "log_loss", "ece")}}
                for name in ("model", "market")]  # fmt: skip
        pricing = self.settings["pricing"]
        return [
            "",
            f"P(over the line), quantile model vs the vig-free market, same {p['rows']:,} rows (over rate "
            f"{p['over_rate']:.3f}); 80% interval coverage {p['coverage_80']:.3f} on {p['coverage_rows']:,} rows:",
            *_table(rows, ("predictor", "brier", "log_loss", "ece")),
            "",
            f"priced bets ({self.bets['priced_rows']:,} rows with a market at the pick, "
            f"{pricing['pick_minutes_before_tipoff']:g} min before tip-off; best price, {pricing['devig_method']} "
            "vig removal; CLV against the last snapshot before tip-off):",
            *_table(self.bets["table"], BET_COLUMNS),
            "",
            "market-aware P(over) (logistic blend of model and market, refitted each date on earlier dates), same "
            f"rows: {_pairs(self.market_aware['probability'])}; model alone there: "
            f"{_pairs(self.market_aware['probability_model_alone'])}",
            *_table(self.market_aware["bets"]["table"], BET_COLUMNS),
        ]

    def _early_season_text(self) -> list[str]:
        out = []
        if self.coverage:
            c = self.coverage
            excluded = ", ".join(f"{k} {v:,}" for k, v in c["excluded"].items())
            out += ["", f"played player-games with a line: {c['lined_played_rows']:,}, evaluated {c['evaluated']:,} "
                        f"({c['evaluated_share']:.1%}); excluded: {excluded}"]  # fmt: skip
        for part, label in (("early_season", "early-season rows (bootstrap days, first games)"),
                            ("established", "the other rows")):  # fmt: skip
            data = self.early_season.get(part)
            if not data:
                continue
            n = data["counts"]["rows_with_line"]
            out += ["", f"{label}: {data['counts']['evaluated_rows']:,} evaluated, {n:,} with a line:"]
            if n:
                out += _table(data["accuracy_with_line"], ("predictor", "rows", "mae", "rmse", "within_3", "within_5"))
                out += _table(data["hit_rates"]["gbm"][-1:], ("bucket", "bets", "wins", "hit_rate", "ci_low", "ci_high",
                                                               "roi"))  # fmt: skip
            if data.get("bets"):
                out += _table(data["bets"]["table"][:1], BET_COLUMNS)
        return out


def _finite(value):
    """NaN becomes None so the JSON is valid."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _pairs(values: dict) -> str:
    return ", ".join(f"{k} {_cell(v)}" for k, v in values.items())


def _cell(value) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _table(rows: list[dict], columns: tuple[str, ...]) -> list[str]:
    cells = [list(columns)] + [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    return ["  " + "  ".join(_pad(i, v, w) for i, (v, w) in enumerate(zip(r, widths, strict=True))) for r in cells]


def _pad(column: int, value: str, width: int) -> str:
    return value.ljust(width) if column == 0 else value.rjust(width)


@dataclass(frozen=True)
class StoredBacktest:
    backtest_id: int
    created_at: dt.datetime
    result: dict  # BacktestReport.to_dict() as stored: plain data, readable after the dataclass gains fields


def store_backtest(con: duckdb.DuckDBPyConnection, report: BacktestReport) -> int:
    """Record a backtest run in ops.backtests, so `nbaprops report` draws it without running one; its id."""
    backtest_id = con.execute(f"SELECT coalesce(max(backtest_id), 0) + 1 FROM {BACKTESTS}").fetchone()[0]
    con.execute(
        f"INSERT INTO {BACKTESTS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [backtest_id, report.market, dt.datetime.now(), report.start, report.end, report.retrain,
         report.availability, json.dumps(report.to_dict())],
    )  # fmt: skip
    return backtest_id


def latest_backtests(con: duckdb.DuckDBPyConnection) -> dict[str, StoredBacktest]:
    """The latest stored backtest of each market; none on a warehouse not yet migrated to have ops.backtests."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'ops' "
        "AND table_name = 'backtests'"
    ).fetchone()[0]
    if not exists:
        return {}
    rows = con.execute(
        f"SELECT market, backtest_id, created_at, result FROM {BACKTESTS} "
        "QUALIFY row_number() OVER (PARTITION BY market ORDER BY backtest_id DESC) = 1"
    ).fetchall()
    return {market: StoredBacktest(i, created, json.loads(result)) for market, i, created, result in rows}
