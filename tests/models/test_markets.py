"""Issue 16: every market on the same machinery. The result expression against the raw box rows, the market's own
line, the same rows for every predictor, no training row on or after a period's start, the line matching rate, the
results the archive does not hold (threes in 2025-26) counted and never guessed, and a toy market built from one
declaration."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from nbaprops.features.declaration import Feature
from nbaprops.features.markets import MARKETS, Market, check_feature_markets
from nbaprops.features.ml_feature_store import DECLARATIONS
from nbaprops.models.backtest import run_backtest
from nbaprops.models.frame import load_frame

# Hand-read from ../shared/data/nba/box/bbref_player_box_2024-25.csv.gz: (game, player) -> pts, reb, ast, fg3m
BOX = {
    ("0022400540", "nikolajokic"): (19, 18, 9, 0),  # DEN, 2025-01-12
    ("0022400565", "stephencurry"): (31, 1, 8, 7),  # GSW, 2025-01-15
    ("0022400570", "lebronjames"): (22, 5, 9, 3),  # LAL, 2025-01-15
}
EXPECTED = {
    "points": lambda pts, reb, ast, fg3m: pts,
    "pra": lambda pts, reb, ast, fg3m: pts + reb + ast,
    "threes": lambda pts, reb, ast, fg3m: fg3m,
    "rebounds": lambda pts, reb, ast, fg3m: reb,
    "assists": lambda pts, reb, ast, fg3m: ast,
}
# One lined week per market with lines in the corpus (PRA 2023-24, threes 2024-25, points 2025-26)
LINED_WEEKS = {
    "pra": (dt.date(2024, 3, 4), dt.date(2024, 3, 10)),
    "threes": (dt.date(2025, 3, 31), dt.date(2025, 4, 6)),  # the weeks with quotes under 12 h old at the pick
    "points": (dt.date(2025, 11, 3), dt.date(2025, 11, 9)),
}


def test_every_market_declares_its_form_and_every_feature_names_declared_markets():
    assert set(EXPECTED) == set(MARKETS)
    for market in MARKETS.values():
        assert market.undeclared() == [], market.name
        assert set(market.form.values()) <= set(market.features)
    assert all(set(f.markets or ()) <= set(MARKETS) for f in DECLARATIONS)
    # the points model reads no other market's own features; every other market reads the shared ones too
    shared = {f.name for f in DECLARATIONS if f.markets is None}
    assert shared <= set(MARKETS["pra"].features) and shared <= set(MARKETS["threes"].features)
    assert not {"pra_avg_last_5", "threes_avg_last_5"} & set(MARKETS["points"].features)
    with pytest.raises(ValueError, match="unknown market"):  # a typo would drop the feature from every model
        check_feature_markets((Feature("a", "x", markets=("curling",)),))


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_result_expression_matches_the_box_score_by_hand(built, name):
    ids = dict(built.execute("SELECT player_lookup, min(player_id) FROM raw.player_names GROUP BY 1").fetchall())
    frame = load_frame(built, dt.date(2025, 1, 12), dt.date(2025, 1, 16), market=MARKETS[name])
    rows = {(g, int(p)): i for i, (g, p) in enumerate(zip(frame.game_id, frame.player_id, strict=True))}
    for (game_id, lookup), box in BOX.items():
        i = rows[(game_id, ids[lookup])]
        assert frame.actual[i] == EXPECTED[name](*box), (name, game_id, lookup)
        assert frame.played[i]


@pytest.mark.realdata
def test_a_frame_carries_its_markets_line_from_its_preferred_bookmaker(built):
    """Jokic's PRA line on 2025-01-12: the preferred book's latest snapshot before tip-off, read from raw rows."""
    from nbaprops.settings import get_settings

    priority = list(get_settings().bookmaker_priority)
    rows = built.execute(
        "SELECT bookmaker, snapshot_time_utc, line FROM raw.prop_lines WHERE market = ? AND game_id = ? "
        "AND player_lookup = 'nikolajokic' AND (snapshot_time_utc < commence_time_utc OR commence_time_utc IS NULL)",
        ["player_points_rebounds_assists", "0022400540"],
    ).fetchall()
    book = min({r[0] for r in rows}, key=lambda b: (priority.index(b) if b in priority else 1000, b))
    latest = max((r for r in rows if r[0] == book), key=lambda r: (r[1] is not None, r[1]))
    jokic = built.execute("SELECT min(player_id) FROM raw.player_names WHERE player_lookup = 'nikolajokic'").fetchone()
    frame = load_frame(built, dt.date(2025, 1, 12), dt.date(2025, 1, 13), market=MARKETS["pra"])
    (i,) = np.flatnonzero((frame.game_id == "0022400540") & (frame.player_id == jokic[0]))
    assert frame.bookmaker[i] == book and frame.line[i] == latest[2]
    # a points frame of the same night has no line for him: no points lines in 2024-25
    points = load_frame(built, dt.date(2025, 1, 12), dt.date(2025, 1, 13), market=MARKETS["points"])
    assert np.isnan(points.line).all()


@pytest.mark.realdata
def test_threes_results_the_archive_does_not_hold_are_missing_not_zero(built):
    """2025-26 game logs have no 3PM: lined active rows have no threes result (NaN), so none is trained or graded."""
    frame = load_frame(built, dt.date(2025, 11, 3), dt.date(2025, 11, 10), market=MARKETS["threes"])
    lined_active = frame.active & frame.has_line
    assert lined_active.sum() > 300
    assert np.isnan(frame.actual[lined_active]).all() and not frame.played[lined_active].any()


def _check_backtest(report, market: Market, start: dt.date, priced: bool) -> None:
    assert report.market == market.name
    counts = {r["predictor"]: r["rows"] for r in report.accuracy_with_line}
    assert len(set(counts.values())) == 1 and report.counts["rows_with_line"] == next(iter(counts.values())) > 50
    assert {"moving_average", "gbm", "ensemble", "season_average", "last_10_average", "line"} <= set(counts)
    for period in report.periods:
        assert period["train_rows"] > 0
        assert dt.date.fromisoformat(period["last_training_date"]) < dt.date.fromisoformat(period["start"])
    assert report.periods[0]["start"] == start.isoformat()
    matching = report.coverage["line_matching"]
    assert matching["line_rows"] > 0 and 0.8 < matching["matching_rate"] <= 1
    c = report.coverage
    assert c["evaluated"] + sum(c["excluded"].values()) == c["lined_played_rows"]
    # PRA 2023-24 has no tip-off time (no commence time in its files, no schedule that season): nothing can be priced
    # at a pick time, and the backtest says 0 rather than guessing one
    assert (report.bets["priced_rows"] > 0) is priced


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(LINED_WEEKS))
def test_a_walk_forward_week_per_market(built, name):
    start, end = LINED_WEEKS[name]
    _check_backtest(run_backtest(built, start, end, market=MARKETS[name]), MARKETS[name], start, name != "pra")


@pytest.mark.realdata
def test_a_toy_market_from_one_declaration(built):
    """A new market is one declaration: 'toy' graded on pts + reb + ast against the PRA lines, with points form
    as its rule columns, runs through the frame, the models, the quotes and the backtest unchanged."""
    toy = Market("toy", "Test market.", result="pts + reb + ast", line_market="player_points_rebounds_assists",
                 stat="points", min_edge=1.5, min_sigma=4.0)  # fmt: skip
    assert toy.features == tuple(f.name for f in DECLARATIONS if f.markets is None)
    start, end = LINED_WEEKS["pra"]
    report = run_backtest(built, start, end, market=toy)
    _check_backtest(report, toy, start, priced=False)
    pra = load_frame(built, start, end + dt.timedelta(days=1), market=MARKETS["pra"])
    assert report.counts["rows_with_line"] == int((pra.played & pra.has_line).sum())
