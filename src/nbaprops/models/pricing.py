"""From bookmaker prices to a priced bet: odds conversions, vig removal, the consensus fair price, line shopping,
expected value, fractional Kelly stakes and closing line value. Pure functions; the backtest feeds them snapshots.

Vig removal. A book's over and under implied probabilities sum to more than 1 (the overround). Two ways back to
probabilities that sum to 1:
- multiplicative: divide each by their sum. Simple, but it takes the margin proportionally from both sides;
- power (the default): p_i ** k with k chosen so they sum to 1. Books load more margin on the longshot (the
  favourite-longshot bias); a power k > 1 shrinks small probabilities relatively more than large ones, which is
  what that bias asks for, and it never gives a probability outside (0, 1). On an even market both agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

DevigMethod = Literal["multiplicative", "power"]


def american_to_decimal(odds: np.ndarray | float) -> np.ndarray:
    """-110 -> 1.909..., +150 -> 2.5; American odds within (-100, +100) do not exist and are an error."""
    a = np.asarray(odds, dtype=float)
    if np.any(np.abs(a[~np.isnan(a)]) < 100):
        raise ValueError(f"American odds must be <= -100 or >= +100, got {a[np.abs(a) < 100].tolist()}")
    return np.where(a < 0, 1.0 + 100.0 / np.abs(a), 1.0 + a / 100.0)


def decimal_to_american(decimal: np.ndarray | float) -> np.ndarray:
    """2.5 -> +150, 1.5 -> -200; even money (2.0) is +100."""
    d = np.asarray(decimal, dtype=float)
    if np.any(d[~np.isnan(d)] <= 1.0):
        raise ValueError("decimal odds must be above 1")
    return np.where(d >= 2.0, (d - 1.0) * 100.0, -100.0 / (d - 1.0))


def implied_probability(odds: np.ndarray | float) -> np.ndarray:
    """The probability at which an American price breaks even (vig included): 1 / decimal odds."""
    return 1.0 / american_to_decimal(odds)


def devig(p_over: np.ndarray, p_under: np.ndarray, method: DevigMethod = "power") -> tuple[np.ndarray, np.ndarray]:
    """Fair (over, under) probabilities of two-way markets from their implied probabilities, summing to 1."""
    po, pu = np.asarray(p_over, dtype=float), np.asarray(p_under, dtype=float)
    if method == "multiplicative":
        total = po + pu
        return po / total, pu / total
    if method != "power":
        raise ValueError(f"devig method is multiplicative or power, not {method!r}")
    # po**k + pu**k falls as k grows (both are below 1): bisect for the k where it is 1; an overround gives k > 1.
    lo, hi = np.full(po.shape, 0.01), np.full(po.shape, 20.0)
    for _ in range(80):
        k = (lo + hi) / 2
        above = po**k + pu**k > 1
        lo, hi = np.where(above, k, lo), np.where(above, hi, k)
    k = (lo + hi) / 2
    fo, fu = po**k, pu**k
    return fo / (fo + fu), fu / (fo + fu)


def expected_value(p_win: np.ndarray | float, decimal_odds: np.ndarray | float) -> np.ndarray:
    """Profit per unit staked on average: p * decimal - 1."""
    return np.asarray(p_win, dtype=float) * np.asarray(decimal_odds, dtype=float) - 1.0


def kelly_stake(p_win: np.ndarray | float, decimal_odds: np.ndarray | float, fraction: float, cap: float) -> np.ndarray:
    """Share of the bankroll to stake: fraction * (p*d - 1) / (d - 1), never below 0 and never above cap.

    Full Kelly maximises log growth only with the true probability; ours is an estimate, so a fraction of it (and
    a cap) keeps a wrong estimate from ruining the bankroll.
    """
    d = np.asarray(decimal_odds, dtype=float)
    full = (np.asarray(p_win, dtype=float) * d - 1.0) / (d - 1.0)
    return np.clip(fraction * full, 0.0, cap)


@dataclass(frozen=True)
class Quote:
    """One bookmaker's main line of a player-game at one snapshot, American prices."""

    book: str
    time: np.datetime64
    line: float
    over_price: float
    under_price: float


@dataclass(frozen=True)
class Market:
    """The market of a player-game at one moment: the consensus line, its fair P(over), the best price per side."""

    line: float
    fair_over: float  # mean of the books' vig-free P(over) at the consensus line
    books: int  # books quoting the consensus line
    best_over: float  # best American price for the over at that line (line shopping)
    best_over_book: str
    best_under: float
    best_under_book: str


def market_at(
    quotes: Iterable[Quote],
    at: np.datetime64,
    method: DevigMethod = "power",
    max_age: np.timedelta64 | None = None,
) -> Market | None:
    """Each book's latest quote at or before `at` (and no older than `max_age`: a day-old price is not one a bettor
    can take at `at`, and news since would make it look beatable); the consensus line is the one most books quote
    (ties: the lower line, so the choice never depends on input order); None when no book has a quote then."""
    oldest = at - max_age if max_age is not None else None
    latest: dict[str, Quote] = {}
    for q in quotes:
        priced = not (math.isnan(q.over_price) or math.isnan(q.under_price))
        fresh = oldest is None or q.time >= oldest
        if priced and fresh and q.time <= at and (q.book not in latest or q.time > latest[q.book].time):
            latest[q.book] = q
    if not latest:
        return None
    counts: dict[float, int] = {}
    for q in latest.values():
        counts[q.line] = counts.get(q.line, 0) + 1
    line = min(counts, key=lambda v: (-counts[v], v))
    on_line = sorted((q for q in latest.values() if q.line == line), key=lambda q: q.book)
    over = np.array([q.over_price for q in on_line])
    under = np.array([q.under_price for q in on_line])
    fair_over, _ = devig(implied_probability(over), implied_probability(under), method)
    best_o = max(on_line, key=lambda q: float(american_to_decimal(q.over_price)))
    best_u = max(on_line, key=lambda q: float(american_to_decimal(q.under_price)))
    return Market(
        line=line,
        fair_over=float(fair_over.mean()),
        books=len(on_line),
        best_over=best_o.over_price,
        best_over_book=best_o.book,
        best_under=best_u.under_price,
        best_under_book=best_u.book,
    )


def closing_line_value(pick: Market, close: Market, over: bool) -> tuple[float, float]:
    """(line CLV, fair-probability CLV) of a bet on the over (or under) at `pick`, measured at `close`.

    Positive means the market moved towards the bet: for an over, the closing line is higher than the one bought
    (points) and the closing fair P(over) higher than at the pick. The probability difference is at each moment's
    own consensus line, so a line move shows up in both numbers.
    """
    sign = 1.0 if over else -1.0
    return sign * (close.line - pick.line), sign * (close.fair_over - pick.fair_over)
