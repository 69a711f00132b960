"""The distribution against the market on lined rows: calibration of P(over) next to the vig-free market's, and
priced bets at a stated pick time with line shopping, EV, Kelly stakes and closing line value.

The pick is made at `pick_minutes_before_tipoff` from each book's latest snapshot then (market_at); the close is
each book's last snapshot before tip-off. The bet is on the consensus line at the pick, at the best price of the
chosen side; it wins or loses against that line (a push returns the stake and is counted apart).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import numpy as np

from nbaprops.features.markets import POINTS
from nbaprops.features.markets import Market as PropMarket
from nbaprops.models.config import ModelConfig
from nbaprops.models.distribution import prob_over
from nbaprops.models.frame import FeatureFrame
from nbaprops.models.metrics import (
    brier_score,
    expected_calibration_error,
    interval_coverage,
    log_loss,
    reliability_curve,
    wilson_interval,
)
from nbaprops.models.pricing import (
    Market,
    Quote,
    american_to_decimal,
    closing_line_value,
    devig,
    expected_value,
    implied_probability,
    kelly_stake,
    market_at,
)
from nbaprops.settings import get_settings

# model P(side) - fair market P(side) of the side with the better EV
EDGE_BUCKETS = ((-math.inf, 0.0), (0.0, 0.025), (0.025, 0.05), (0.05, 0.10), (0.10, math.inf))


def load_quotes(con: duckdb.DuckDBPyConnection, start, end, market: PropMarket = POINTS) -> tuple[dict, dict]:
    """Every main-line snapshot before tip-off of the market's props dated start..end, per (game_id, player_id),
    and the tip-off time of each player-game that has one: the odds feed's commence time, else the schedule's
    (Eastern wall time; the PRA files carry no commence time). Without either a row cannot be priced at a pick time
    and is left out (the backtest's priced rows say how many remain)."""
    rows = con.execute(
        """
        SELECT l.game_id, l.player_id, l.bookmaker, l.snapshot_time_utc,
            coalesce(l.commence_time_utc,
                     timezone('UTC', timezone('America/New_York', s.game_datetime_est))::TIMESTAMP) AS tipoff_utc,
            l.line, l.over_price, l.under_price
        FROM prop_line_snapshots($market, $priority, $start, $end) l
        LEFT JOIN raw.schedule s ON s.game_id = l.game_id
        WHERE l.game_date BETWEEN $start AND $end AND l.snapshot_time_utc IS NOT NULL AND l.line IS NOT NULL
        """,
        {"market": market.line_market, "priority": list(get_settings().bookmaker_priority), "start": start,
         "end": end},
    ).fetchall()  # fmt: skip
    quotes: dict[tuple, list[Quote]] = defaultdict(list)
    tipoff: dict[tuple, np.datetime64] = {}
    for game_id, player_id, book, at, commence, line, over, under in rows:
        key = (game_id, int(player_id))
        quotes[key].append(Quote(book, np.datetime64(at), float(line), _price(over), _price(under)))
        if commence is not None:
            tipoff[key] = np.datetime64(commence)
    return quotes, tipoff


def _price(value) -> float:
    return math.nan if value is None else float(value)


def calibration(frame: FeatureFrame, p_over: np.ndarray, q: np.ndarray, levels: np.ndarray, rows: np.ndarray,
                method: str) -> dict:  # fmt: skip
    """Model vs vig-free market P(over the frame's line) on the same rows: lined, priced, not a push."""
    priced = rows & ~np.isnan(frame.over_price) & ~np.isnan(frame.under_price) & (frame.actual != frame.line)
    outcome = (frame.actual[priced] > frame.line[priced]).astype(float)
    market, _ = devig(implied_probability(frame.over_price[priced]), implied_probability(frame.under_price[priced]),
                      method)  # fmt: skip
    low, high = _level_index(levels, 0.1), _level_index(levels, 0.9)
    out = {"rows": int(priced.sum()), "over_rate": float(outcome.mean()) if len(outcome) else math.nan}
    for name, p in (("model", p_over[priced]), ("market", market)):
        out[name] = {
            "brier": brier_score(p, outcome),
            "log_loss": log_loss(p, outcome),
            "ece": expected_calibration_error(p, outcome),
            "reliability": reliability_curve(p, outcome),
        }
    out["coverage_80"] = interval_coverage(q[rows, low], q[rows, high], frame.actual[rows])
    out["coverage_rows"] = int(rows.sum())
    return out


def _level_index(levels: np.ndarray, level: float) -> int:
    hits = np.flatnonzero(np.isclose(levels, level))
    if not len(hits):
        raise ValueError(f"the quantile levels {levels.tolist()} must include {level} for the 80% interval")
    return int(hits[0])


@dataclass(frozen=True)
class PricedRow:
    """A lined row with a market at the pick time: what a bet on it needs."""

    date: np.datetime64
    pick: Market
    close: Market
    p_over: float  # the quantile model's P(over the pick's consensus line)
    actual: float


def priced_rows(frame: FeatureFrame, q: np.ndarray, levels: np.ndarray, rows: np.ndarray, quotes: dict,
                tipoff: dict, cfg: ModelConfig) -> list[PricedRow]:  # fmt: skip
    """The lined rows whose player-game has a tip-off time and a market at the pick time, in frame order."""
    pc = cfg.pricing
    before = np.timedelta64(int(pc.pick_minutes_before_tipoff * 60), "s")
    max_age = np.timedelta64(int(pc.max_quote_age_hours * 3600), "s")
    out = []
    for i in np.flatnonzero(rows):
        key = (frame.game_id[i], int(frame.player_id[i]))
        if key not in tipoff:
            continue
        pick = market_at(quotes.get(key, []), tipoff[key] - before, pc.devig_method, max_age)
        close = market_at(quotes.get(key, []), tipoff[key], pc.devig_method, max_age)
        if pick is None or close is None:
            continue
        p = float(prob_over(q[i : i + 1], levels, np.array([pick.line]))[0])
        out.append(PricedRow(frame.game_date[i], pick, close, p, float(frame.actual[i])))
    return out


def market_aware(priced: list[PricedRow], min_rows: int) -> np.ndarray:
    """P(over) combining the model's and the market's: logit p = a logit(model) + b logit(market) + c, refitted for
    each game date on the priced rows of earlier dates only (no push); NaN until `min_rows` such rows exist."""
    dates = np.array([r.date for r in priced], dtype="datetime64[D]")
    x = np.column_stack([_logit(np.array([r.p_over for r in priced], dtype=float)),
                         _logit(np.array([r.pick.fair_over for r in priced], dtype=float)),
                         np.ones(len(priced))])  # fmt: skip
    decided = np.array([r.actual != r.pick.line for r in priced], dtype=bool)
    y = np.array([float(r.actual > r.pick.line) for r in priced], dtype=float)
    out = np.full(len(priced), np.nan)
    for day in np.unique(dates):
        train = decided & (dates < day)
        if train.sum() >= min_rows:
            w = _logistic_fit(x[train], y[train])
            today = dates == day
            out[today] = 1 / (1 + np.exp(-x[today] @ w))
    return out


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(q / (1 - q))


def _logistic_fit(x: np.ndarray, y: np.ndarray, ridge: float = 1.0) -> np.ndarray:
    """Newton's method for a logistic regression with a small ridge (towards 0) so a few rows cannot explode it."""
    w = np.zeros(x.shape[1])
    for _ in range(25):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + ridge * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def priced_bets(priced: list[PricedRow], p_over: np.ndarray, cfg: ModelConfig) -> list[dict]:
    """The bet (or PASS) of each priced row at the given P(over the pick line); rows where it is NaN are skipped."""
    return [_bet(r.pick, r.close, float(p), r.actual, cfg) for r, p in zip(priced, p_over, strict=True)
            if not np.isnan(p)]  # fmt: skip


def probability_vs_market(priced: list[PricedRow], p_over: np.ndarray) -> dict:
    """Brier and log loss of p_over and of the consensus fair price on the same priced rows (defined, no push)."""
    keep = np.array([r.actual != r.pick.line for r in priced], dtype=bool) & ~np.isnan(p_over)
    y = np.array([float(r.actual > r.pick.line) for r in priced], dtype=float)[keep]
    market = np.array([r.pick.fair_over for r in priced], dtype=float)[keep]
    return {
        "rows": int(keep.sum()),
        "brier": brier_score(p_over[keep], y),
        "log_loss": log_loss(p_over[keep], y),
        "market_brier": brier_score(market, y),
        "market_log_loss": log_loss(market, y),
    }


def _bet(pick: Market, close: Market, p_over: float, actual: float, cfg: ModelConfig) -> dict:
    pc = cfg.pricing
    d_over, d_under = (float(american_to_decimal(p)) for p in (pick.best_over, pick.best_under))
    ev_over, ev_under = float(expected_value(p_over, d_over)), float(expected_value(1 - p_over, d_under))
    over = ev_over >= ev_under
    p_side, d, ev = (p_over, d_over, ev_over) if over else (1 - p_over, d_under, ev_under)
    fair_side = pick.fair_over if over else 1 - pick.fair_over
    line_clv, prob_clv = closing_line_value(pick, close, over)
    push = actual == pick.line
    won = actual > pick.line if over else actual < pick.line
    return {
        "bet": ev >= pc.min_ev,
        "over": over,
        "ev": ev,
        "edge": p_side - fair_side,
        "decimal": d,
        "stake": float(kelly_stake(p_side, d, pc.kelly_fraction, pc.kelly_cap)),
        "push": bool(push),
        "won": bool(won),
        "line_clv": line_clv,
        "prob_clv": prob_clv,
    }


def bet_summary(bets: list[dict]) -> dict:
    """Picks, hit rate with its Wilson interval against the break-even of their prices, ROI (flat and Kelly), CLV."""
    decided = [b for b in bets if not b["push"]]
    wins = sum(b["won"] for b in decided)
    low, high = wilson_interval(wins, len(decided))
    profit = [(b["decimal"] - 1) if b["won"] else -1.0 for b in decided]
    staked = sum(b["stake"] for b in decided)
    return {
        "picks": len(bets),
        "decided": len(decided),
        "pushes": len(bets) - len(decided),
        "wins": wins,
        "hit_rate": wins / len(decided) if decided else math.nan,
        "ci_low": low,
        "ci_high": high,
        "break_even": float(np.mean([1 / b["decimal"] for b in decided])) if decided else math.nan,
        "roi": float(np.mean(profit)) if decided else math.nan,
        "kelly_roi": sum(b["stake"] * p for b, p in zip(decided, profit, strict=True)) / staked if staked else math.nan,
        "mean_line_clv": float(np.mean([b["line_clv"] for b in bets])) if bets else math.nan,
        "mean_prob_clv": float(np.mean([b["prob_clv"] for b in bets])) if bets else math.nan,
        "beat_close": float(np.mean([b["prob_clv"] > 0 for b in bets])) if bets else math.nan,
    }


def betting_report(bets: list[dict], cfg: ModelConfig) -> dict:
    """The picks (EV >= min_ev), then every priced row's better side by edge bucket."""
    picks = [b for b in bets if b["bet"]]
    table = [{"bucket": f"picks (EV >= {cfg.pricing.min_ev:g})", **bet_summary(picks)}]
    for low, high in EDGE_BUCKETS:
        label = (
            f"edge < {high:.1%}"
            if math.isinf(low)
            else f"edge {low:.1%}+"
            if math.isinf(high)
            else (f"edge {low:.1%}-{high:.1%}")
        )
        table.append({"bucket": label, **bet_summary([b for b in bets if low <= b["edge"] < high])})
    return {"priced_rows": len(bets), "table": table}
