"""Walk-forward backtest: for each period, train on every played game before it, predict it, then score.

Never a random split: a period's model is fitted on rows dated strictly before the period's first day (the same
`fit_gbm` contract `nbaprops train` uses), so a backtest number is one a bettor could have had at the time.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Literal

import duckdb
import numpy as np

from nbaprops.features.early_season_features import TABLE as EARLY_SEASON
from nbaprops.features.early_season_features import feature_rows
from nbaprops.features.markets import POINTS, Market
from nbaprops.models.betting import (
    PricedRow,
    betting_report,
    calibration,
    load_quotes,
    market_aware,
    priced_bets,
    priced_rows,
    probability_vs_market,
)
from nbaprops.models.config import ModelConfig
from nbaprops.models.distribution import fit_quantiles, prob_over
from nbaprops.models.evaluation import evaluate
from nbaprops.models.frame import FIRST_DATE, STORE, FeatureFrame, load_frame
from nbaprops.models.gbm import fit_gbm
from nbaprops.models.live_features import build_oracle_store
from nbaprops.models.report import BacktestReport
from nbaprops.models.systems import SYSTEMS, predict_systems
from nbaprops.settings import get_settings

Retrain = Literal["monthly", "weekly"]
Availability = Literal["live", "oracle"]


def periods(start: dt.date, end: dt.date, retrain: Retrain) -> list[tuple[dt.date, dt.date]]:
    """[first, last + 1) spans covering start..end: calendar months, or 7-day weeks from start."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    spans, first = [], start
    while first <= end:
        if retrain == "weekly":
            nxt = first + dt.timedelta(days=7)
        elif retrain == "monthly":
            nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        else:
            raise ValueError(f"retrain must be monthly or weekly, not {retrain!r}")
        spans.append((first, min(nxt, end + dt.timedelta(days=1))))
        first = nxt
    return spans


@dataclass(frozen=True)
class WalkForward:
    frame: FeatureFrame  # every feature row dated start..end
    predicted: dict[str, np.ndarray]  # per system, aligned with frame
    periods: list[dict]
    quantiles: np.ndarray  # (rows, levels): quantile-model predictions, NaN outside periods with a line


def walk_forward(
    con: duckdb.DuckDBPyConnection,
    start: dt.date,
    end: dt.date,
    retrain: Retrain,
    cfg: ModelConfig,
    store: str = STORE,
    market: Market = POINTS,
) -> WalkForward:
    """Fit before each period, predict it. The quantile models (11 fits) are fitted only for periods with a line,
    the only rows they are scored on. A period with no played row before it (the corpus's first days) is not
    predicted: it is listed with `skipped` and its lined rows are counted as "no prediction"."""
    history = load_frame(con, FIRST_DATE, end + dt.timedelta(days=1), market=market, store=store)
    in_range = history.game_date >= np.datetime64(start)
    predicted = {name: np.full(len(history), np.nan) for name in SYSTEMS}
    quantiles = np.full((len(history), len(cfg.quantiles)), np.nan)
    info = []
    for first, stop in periods(start, end, retrain):
        rows = (history.game_date >= np.datetime64(first)) & (history.game_date < np.datetime64(stop))
        if not rows.any():
            continue
        started = time.perf_counter()
        train = history.select((history.game_date < np.datetime64(first)) & history.played)
        span = {"start": first.isoformat(), "end": (stop - dt.timedelta(days=1)).isoformat()}
        if not len(train):
            info.append({**span, "train_rows": 0, "last_training_date": None, "predicted_rows": 0,
                         "skipped": "no played row before it to train on"})  # fmt: skip
            continue
        model = fit_gbm(train, first, cfg.gbm)
        fitted = time.perf_counter()
        for name, points in predict_systems(history.select(rows), model, cfg).items():
            predicted[name][rows] = points
        if (rows & history.has_line).any():
            qm = fit_quantiles(train.X, train.actual, train.game_date, first, cfg.quantiles, cfg.gbm, train.features)
            quantiles[rows] = qm.quantiles(history.X[rows])
        info.append({
            **span, "train_rows": len(train), "last_training_date": model.metadata["last_training_date"],
            "predicted_rows": int(rows.sum()), "fit_seconds": round(fitted - started, 2),
            "predict_seconds": round(time.perf_counter() - fitted, 2),
        })  # fmt: skip
    return WalkForward(
        history.select(in_range), {k: v[in_range] for k, v in predicted.items()}, info, quantiles[in_range]
    )


def market_report(con: duckdb.DuckDBPyConnection, run: WalkForward, start: dt.date, end: dt.date,
                  cfg: ModelConfig) -> dict:  # fmt: skip
    """Calibration of P(over) vs the market's and priced bets, on the played rows with a line and quantiles."""
    frame, q = run.frame, run.quantiles
    rows = frame.played & frame.has_line & ~np.isnan(q).any(axis=1)
    if not rows.any():
        return {}
    levels = np.asarray(cfg.quantiles)
    quotes, tipoff = load_quotes(con, start, end, frame.market)
    p_over = prob_over(np.nan_to_num(q), levels, np.where(rows, frame.line, np.nan))
    priced = priced_rows(frame, q, levels, rows, quotes, tipoff, cfg)
    model = np.array([r.p_over for r in priced], dtype=float)
    blended = market_aware(priced, cfg.pricing.market_aware_min_rows)
    return {
        "probability": calibration(frame, p_over, q, levels, rows, cfg.pricing.devig_method),
        "bets": _bets(priced, model, cfg),
        "market_aware": {
            "probability": probability_vs_market(priced, blended),
            "probability_model_alone": probability_vs_market(priced, np.where(np.isnan(blended), np.nan, model)),
            "bets": _bets(priced, blended, cfg),
        },
    }


def _bets(priced: list[PricedRow], p_over: np.ndarray, cfg: ModelConfig) -> dict:
    """The betting report of `p_over` on the priced rows, with the picks' profit per date for the HTML report."""
    bets = priced_bets(priced, p_over, cfg)
    dates = [r.date for r, p in zip(priced, p_over, strict=True) if not np.isnan(p)]
    return {**betting_report(bets, cfg), "profit_by_date": profit_by_date(dates, bets)}


def profit_by_date(dates: list[np.datetime64], bets: list[dict]) -> list[dict]:
    """Per game date, in order: the picks (EV >= min_ev), how many were decided (not a push) and their flat profit
    in units (1 unit staked on each at its best price), the numbers behind the cumulative-profit chart."""
    days: dict[str, dict] = {}
    for day, bet in zip(dates, bets, strict=True):
        if not bet["bet"]:
            continue
        d = days.setdefault(str(np.datetime64(day, "D")), {"picks": 0, "decided": 0, "units": 0.0})
        d["picks"] += 1
        if not bet["push"]:
            d["decided"] += 1
            d["units"] += bet["decimal"] - 1 if bet["won"] else -1.0
    return [{"date": day, **d} for day, d in sorted(days.items())]


_LINED_PLAYED = """
    SELECT s.game_id, s.player_id, s.game_date, ({result}) IS NOT NULL AS has_result
    FROM analytics.player_game_summary s
    JOIN prop_line_before_tipoff($line_market, $priority, $start, $end) l
      ON l.game_id = s.game_id AND l.player_id = s.player_id
    WHERE s.game_date BETWEEN $start AND $end AND s.status = 'active'
"""


def lined_played(market: Market) -> tuple[str, dict]:
    """SQL (and its market parameters) of the active player-games with a line of the market before tip-off, each
    saying whether the archive holds its result."""
    params = {"line_market": market.line_market, "priority": list(get_settings().bookmaker_priority)}
    return _LINED_PLAYED.format(result=market.result), params


def lines_without_features(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, store: str,
                           market: Market = POINTS) -> int:  # fmt: skip
    """Active player-games with a line but no feature row (unresolved players, unknown team): not evaluated."""
    lined, params = lined_played(market)
    return con.execute(
        f"""
        SELECT count(*) FROM ({lined}) s
        WHERE NOT EXISTS (SELECT 1 FROM {store} f WHERE f.game_id = s.game_id AND f.player_id = s.player_id)
        """,
        {"start": start, "end": end, **params},
    ).fetchone()[0]


def early_season_rows(con: duckdb.DuckDBPyConnection, frame: FeatureFrame) -> np.ndarray:
    """Which rows of the frame came from the early-season table (bootstrap days, first games)."""
    keys = set(con.execute(f"SELECT game_id, player_id FROM {EARLY_SEASON}").fetchall())
    return np.array([(g, int(p)) in keys for g, p in zip(frame.game_id, frame.player_id, strict=True)], dtype=bool)


def early_season_report(con: duckdb.DuckDBPyConnection, run: WalkForward, early: np.ndarray, start: dt.date,
                        end: dt.date, cfg: ModelConfig) -> dict:  # fmt: skip
    """The report's accuracy, hit rates and priced bets on the early-season rows and on the others, apart."""
    out = {}
    for name, mask in (("early_season", early), ("established", ~early)):
        part = WalkForward(run.frame.select(mask), {k: v[mask] for k, v in run.predicted.items()}, run.periods,
                           run.quantiles[mask])  # fmt: skip
        out[name] = {**evaluate(part.frame, part.predicted, cfg), **market_report(con, part, start, end, cfg)}
    return out


def line_matching(con: duckdb.DuckDBPyConnection, market: Market, start: dt.date, end: dt.date) -> dict:
    """How many of the market's raw line rows dated start..end were matched to a game and to one NBA player (the
    rest cannot be priced): the line matching rate."""
    rows, to_game, to_player = con.execute(
        """
        WITH ids AS (
            SELECT player_lookup FROM raw.player_names GROUP BY player_lookup HAVING count(DISTINCT player_id) = 1
        )
        SELECT count(*), count(p.game_id), count(*) FILTER (p.game_id IS NOT NULL AND i.player_lookup IS NOT NULL)
        FROM raw.prop_lines p LEFT JOIN ids i USING (player_lookup)
        WHERE p.market = $line_market AND p.game_date BETWEEN $start AND $end
        """,
        {"line_market": market.line_market, "start": start, "end": end},
    ).fetchone()
    return {
        "line_rows": rows,
        "matched_to_game": to_game,
        "matched_to_game_and_player": to_player,
        "matching_rate": to_player / rows if rows else float("nan"),
    }


def line_coverage(con: duckdb.DuckDBPyConnection, run: WalkForward, start: dt.date, end: dt.date) -> dict:
    """Every active player-game with a line of the market in start..end, evaluated or not, with each excluded
    row's reason: the archive does not hold its result (threes in 2025-26: counted, never guessed), no feature row
    because no team of the game is his before it (a rookie's first game, an off-season move: no pre-game source
    here names his team), no feature row otherwise, a feature row without the line, or no prediction."""
    lined_sql, params = lined_played(run.frame.market)
    lined = con.execute(
        f"""
        SELECT s.game_id, s.player_id, h.team IN (g.home_team, g.away_team) AS team_known, s.has_result
        FROM ({lined_sql}) s
        JOIN raw.games g ON g.game_id = s.game_id
        ASOF LEFT JOIN analytics.player_game_summary h ON h.player_id = s.player_id AND h.game_date < s.game_date
        """,
        {"start": start, "end": end, **params},
    ).fetchall()
    frame = run.frame
    index = {(g, int(p)): i for i, (g, p) in enumerate(zip(frame.game_id, frame.player_id, strict=True))}
    predicted = np.all([~np.isnan(v) for v in run.predicted.values()], axis=0)
    reasons = {"no result in the archive": 0, "no feature row: no team known before the game": 0,
               "no feature row: other": 0, "feature row without the line": 0, "not played in the feature frame": 0,
               "no prediction": 0}  # fmt: skip
    evaluated = 0
    for game_id, player_id, team_known, has_result in lined:
        i = index.get((game_id, player_id))
        if not has_result:
            reasons["no result in the archive"] += 1
        elif i is None:
            reasons["no feature row: " + ("other" if team_known else "no team known before the game")] += 1
        elif not frame.has_line[i]:
            reasons["feature row without the line"] += 1
        elif not frame.played[i]:
            reasons["not played in the feature frame"] += 1
        elif not predicted[i]:
            reasons["no prediction"] += 1
        else:
            evaluated += 1
    with_result = len(lined) - reasons["no result in the archive"]
    return {
        "lined_played_rows": len(lined),
        "lined_rows_with_result": with_result,
        "evaluated": evaluated,
        "evaluated_share": evaluated / with_result if with_result else float("nan"),
        "excluded": reasons,
        "line_matching": line_matching(con, run.frame.market, start, end),
    }


def run_backtest(
    con: duckdb.DuckDBPyConnection,
    start: dt.date,
    end: dt.date,
    retrain: Retrain = "monthly",
    cfg: ModelConfig | None = None,
    availability: Availability = "live",
    market: Market = POINTS,
) -> BacktestReport:
    """Walk forward over start..end and score every system and baseline on the same rows.

    The feature rows are the feature store's and the early-season table's (features/early_season_features.py), so
    the bootstrap days and players' first games are predicted and scored, and reported apart too.
    availability "live" (the default) reads the warehouse's feature store, built only from what a run before
    tip-off has; "oracle" recomputes it with the archive's active lists of the game's date (models/live_features.py):
    an upper bound, not a result a bettor could have had.
    """
    cfg = cfg or ModelConfig()
    if availability not in ("live", "oracle"):
        raise ValueError(f"availability must be live or oracle, not {availability!r}")
    started = time.perf_counter()
    store = build_oracle_store(con) if availability == "oracle" else STORE
    featured = time.perf_counter()
    store = feature_rows(store)  # the early-season rows too: bootstrap days and first games
    run = walk_forward(con, start, end, retrain, cfg, store, market)
    walked = time.perf_counter()
    report = evaluate(run.frame, run.predicted, cfg)
    report.update(market_report(con, run, start, end, cfg))
    report.update(
        early_season=early_season_report(con, run, early_season_rows(con, run.frame), start, end, cfg),
        coverage=line_coverage(con, run, start, end),
    )
    report.update(
        start=start.isoformat(),
        end=end.isoformat(),
        retrain=retrain,
        availability=availability,
        market=market.name,
        periods=run.periods,
        settings=cfg.model_dump(),
        timings={
            "oracle_features_seconds": round(featured - started, 2),
            "walk_forward_seconds": round(walked - featured, 2),
            "fit_seconds": round(sum(p.get("fit_seconds", 0) for p in run.periods), 2),
            "evaluate_seconds": round(time.perf_counter() - walked, 2),
        },
    )
    report["counts"]["lines_without_feature_row"] = lines_without_features(con, start, end, store, market)
    return BacktestReport(**report)
