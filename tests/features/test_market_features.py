"""Feature version 5: the threes, rebounds, assists and PRA markets' features (issue #16 item 2), held to values
computed here in plain Python from the box rows, to the point-in-time audit, to the markets they are tagged with
and to the validation that would catch them all missing."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics

import pytest

from nbaprops.audit.point_in_time import compare_features, recompute_as_of
from nbaprops.features.declaration import Feature
from nbaprops.features.early_season_features import SHRUNK
from nbaprops.features.markets import MARKETS
from nbaprops.features.ml_feature_store import DECLARATIONS, FEATURES
from nbaprops.precompute.form_windows import WINDOWS
from nbaprops.validation.api import gate_checks
from nbaprops.validation.result import Status
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata

K = 250  # macros.sql fg3_pct_shrunk: the league's 3P% counts as 250 attempts
# (game_id, player_id): Jokic 2024-01-21 (2023-24), Curry 2025-02-12 (2024-25), Brunson 2025-11-12 (2025-26: the
# archive's game logs have no 3PM/3PA, so his threes features are NULL; rebounds, assists and the opponent's
# box-score defence are there)
ORACLE = (("0022300602", 203999), ("0022400782", 201939), ("0022500215", 1628973))
NEW = {
    "threes": (
        "threes_avg_last_5", "threes_avg_last_10", "threes_avg_season", "threes_std_last_10", "fg3a_avg_last_10",
        "fg3a_per_minute_last_10", "fg3_pct_shrunk", "opponent_fg3a_allowed_last_15",
        "opponent_fg3_pct_allowed_last_15",
    ),
    "rebounds": (
        "rebounds_avg_last_5", "rebounds_avg_last_10", "rebounds_avg_season", "rebounds_std_last_10",
        "rebounds_per_minute_last_10", "opponent_rebounds_allowed_last_15",
    ),
    "assists": (
        "assists_avg_last_5", "assists_avg_last_10", "assists_avg_season", "assists_std_last_10",
        "assists_per_minute_last_10", "opponent_assists_allowed_last_15",
    ),
    "pra": ("pra_avg_last_5", "pra_avg_last_10", "pra_avg_season", "pra_std_last_10"),
}  # fmt: skip
NEW_NAMES = [n for names in NEW.values() for n in names]
STORE = "features.ml_feature_store"
PLAYER_THREES = [n for n in NEW["threes"] if not n.startswith("opponent_")]


def _mean(values):
    return sum(values) / len(values) if values else None


def _expected(con, game_id: str, player_id: int) -> dict[str, float | None]:
    """The five oracle features from the box rows (analytics.player_game_summary, team_offense_game_summary)."""
    day, season_year, opponent = con.execute(
        "SELECT game_date, season_year, opponent FROM analytics.player_game_summary "
        "WHERE game_id = ? AND player_id = ?",
        [game_id, player_id],
    ).fetchone()
    games = con.execute(
        "SELECT pts, reb, ast, fg3m, fg3a FROM analytics.player_game_summary WHERE player_id = ? AND season_year = ? "
        "AND game_date < ? AND status = 'active' ORDER BY game_date DESC",
        [player_id, season_year, day],
    ).fetchall()
    assert len(games) >= 10, (game_id, player_id)  # every window is full
    threes = [g[3] for g in games]
    made, attempted = sum(g[3] or 0 for g in games), sum(g[4] or 0 for g in games)
    league = None
    for year in (season_year, season_year - 1):  # this season before the date, else the previous one
        m, a = con.execute(
            "SELECT sum(fg3m), sum(fg3a) FROM analytics.player_game_summary WHERE status = 'active' "
            "AND season_year = ? AND game_date < ?",
            [year, day],
        ).fetchone()
        if a:
            league = m / a
            break
    # the opponent's last 15 games this season before the date, and what its opponents attempted from three
    opponent_games = con.execute(
        "SELECT game_id FROM analytics.team_offense_game_summary WHERE team = ? AND season_year = ? AND game_date < ? "
        "ORDER BY game_date DESC LIMIT 15",
        [opponent, season_year, day],
    ).fetchall()
    allowed = [
        con.execute(
            "SELECT fg3a FROM analytics.team_offense_game_summary WHERE game_id = ? AND team <> ?", [g, opponent]
        ).fetchone()[0]
        for (g,) in opponent_games
    ]
    known = [a for a in allowed if a is not None]
    return {
        "threes_avg_last_5": None if threes[0] is None else _mean(threes[:5]),
        "rebounds_avg_season": _mean([g[1] for g in games]),
        "pra_avg_last_10": _mean([g[0] + g[1] + g[2] for g in games[:10]]),
        "fg3_pct_shrunk": None if threes[0] is None else (made + K * league) / (attempted + K),
        "opponent_fg3a_allowed_last_15": _mean(known),
    }


def test_market_features_match_a_hand_computation_for_three_player_games(built):
    for game_id, player_id in ORACLE:
        expected = _expected(built, game_id, player_id)
        columns = ", ".join(expected)
        stored = built.execute(
            f"SELECT {columns} FROM features.ml_feature_store WHERE game_id = ? AND player_id = ?",
            [game_id, player_id],
        ).fetchone()
        assert stored is not None, (game_id, player_id)
        for (name, want), got in zip(expected.items(), stored, strict=True):
            assert got == (None if want is None else pytest.approx(want, rel=1e-9)), (game_id, player_id, name)
    # both cases are exercised: threes values where the box scores have splits, NULL where they have none
    jokic, curry, brunson = (_expected(built, *pair) for pair in ORACLE)
    assert jokic["threes_avg_last_5"] is not None and curry["fg3_pct_shrunk"] is not None
    assert brunson["threes_avg_last_5"] is None and brunson["rebounds_avg_season"] is not None
    assert brunson["opponent_fg3a_allowed_last_15"] is not None


def test_market_windows_match_a_recomputation_on_a_sample(built):
    """Every new player window (not only the oracle's five) against Python over the same played games."""
    rows = built.execute(
        "SELECT * FROM (SELECT game_id, player_id, game_date, season_year FROM features.ml_feature_store "
        "WHERE season_year = 2024 AND game_type = 'regular_season' AND games_played_season >= 12) "
        "USING SAMPLE 40 ROWS (reservoir, 5)"
    ).fetchall()
    assert len(rows) == 40
    for game_id, player_id, day, season_year in rows:
        games = built.execute(
            "SELECT pts, reb, ast, fg3m, fg3a, minutes FROM analytics.player_game_summary WHERE player_id = ? "
            "AND season_year = ? AND game_date < ? AND status = 'active' ORDER BY game_date DESC",
            [player_id, season_year, day],
        ).fetchall()
        assert all(v is not None for g in games for v in g), (game_id, player_id)  # regular season: bbref splits
        last10 = games[:10]
        minutes = sum(g[5] for g in last10)
        expected = {
            "threes_avg_last_10": _mean([g[3] for g in last10]),
            "threes_avg_season": _mean([g[3] for g in games]),
            "threes_std_last_10": statistics.stdev([g[3] for g in last10]),
            "fg3a_avg_last_10": _mean([g[4] for g in last10]),
            "fg3a_per_minute_last_10": sum(g[4] for g in last10) / minutes,
            "rebounds_avg_last_5": _mean([g[1] for g in games[:5]]),
            "rebounds_std_last_10": statistics.stdev([g[1] for g in last10]),
            "rebounds_per_minute_last_10": sum(g[1] for g in last10) / minutes,
            "assists_avg_last_10": _mean([g[2] for g in last10]),
            "assists_avg_season": _mean([g[2] for g in games]),
            "assists_per_minute_last_10": sum(g[2] for g in last10) / minutes,
            "pra_avg_last_5": _mean([sum(g[:3]) for g in games[:5]]),
            "pra_avg_season": _mean([sum(g[:3]) for g in games]),
            "pra_std_last_10": statistics.stdev([sum(g[:3]) for g in last10]),
        }
        stored = built.execute(
            f"SELECT {', '.join(expected)} FROM features.ml_feature_store WHERE game_id = ? AND player_id = ?",
            [game_id, player_id],
        ).fetchone()
        for (name, want), got in zip(expected.items(), stored, strict=True):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (game_id, player_id, name)


def test_new_features_are_tagged_with_their_markets_and_old_ones_with_every_market():
    by_name = {f.name: f for f in DECLARATIONS}
    assert len(DECLARATIONS) == 61 + len(NEW_NAMES)
    assert [f.name for f in DECLARATIONS[:61]] == [n for n in FEATURES if n not in NEW_NAMES]
    assert all(f.markets is None for f in DECLARATIONS[:61])  # every market reads them
    assert MARKETS["points"].features == tuple(f.name for f in DECLARATIONS[:61])  # the points model's do not change
    markets = {"threes": ("threes",), "rebounds": ("rebounds", "pra"), "assists": ("assists", "pra"), "pra": ("pra",)}
    for family, names in NEW.items():
        for name in names:
            assert by_name[name].markets == markets[family], name
            assert by_name[name].counted  # NULL where the source has nothing, and counted
    assert Feature("x", "y").markets is None and Feature("x", "y").serves("any_new_market")
    with pytest.raises(ValueError, match="no market"):
        Feature("x", "y", markets=())


def test_early_season_rows_shrink_every_new_form_window_and_leave_the_opponents_null(built):
    assert set(NEW_NAMES) - set(SHRUNK) == {n for n in NEW_NAMES if n.startswith("opponent_")}
    assert all(n in WINDOWS or n in ("ft_share_of_points", "fg3_pct_shrunk") for n in SHRUNK)
    opponents = [n for n in NEW_NAMES if n.startswith("opponent_")]
    counts = built.execute(
        "SELECT count(*), "
        + ", ".join(f"count({n})" for n in (*opponents, "rebounds_avg_last_10", "threes_avg_last_10", "fg3_pct_shrunk"))
        + " FROM features.early_season_features WHERE season_year = 2024"
    ).fetchone()
    rows, *opponent_counts, rebounds, threes, pct = counts
    assert rows > 1000 and opponent_counts == [0] * len(opponents)
    assert rebounds > 0.8 * rows and threes > 0.8 * rows and pct > 0.8 * rows


def test_threes_are_null_without_splits_and_present_with_them(built):
    """2025-26's archive game logs have no 3PM/3PA: the player's threes features are NULL there (not 0) unless a
    live box score filled his games; 2023-24 and 2024-25 have them on most rows, and rebounds/assists always."""
    shares = dict(
        (season, (threes, rebounds))
        for season, threes, rebounds in built.execute(
            "SELECT season_year, avg((threes_avg_last_10 IS NOT NULL)::INT), "
            "avg((rebounds_avg_last_10 IS NOT NULL)::INT) FROM features.ml_feature_store GROUP BY 1"
        ).fetchall()
    )
    assert shares[2023][0] > 0.9 and shares[2024][0] > 0.9
    live = built.execute(
        "SELECT count(*) FROM features.ml_feature_store WHERE season_year = 2025 AND threes_avg_last_10 IS NOT NULL "
        "AND box_source NOT LIKE '%(live)'"
    ).fetchone()[0]
    assert live == 0
    assert all(share[1] > 0.9 for share in shares.values())


def test_point_in_time_recomputation_covers_the_new_features(built_db, tmp_path):
    """The audit compares every declared feature (FEATURES), so the new ones too: recompute a 2024-25 date in a
    copy that forgot it and everything after it, on rows where the new features have values."""
    day = dt.date(2025, 2, 12)
    stored = connect(built_db, read_only=True)
    pairs = stored.execute(
        f"SELECT player_id, game_id FROM features.ml_feature_store WHERE game_date = ? "
        f"AND {' AND '.join(f'{n} IS NOT NULL' for n in NEW_NAMES)}",
        [day],
    ).fetchall()
    stored.close()
    assert len(pairs) >= 30 and set(NEW_NAMES) <= set(FEATURES)
    copy = recompute_as_of(built_db, day, tmp_path)
    recomputed, stored = connect(copy, read_only=True), connect(built_db, read_only=True)
    assert compare_features(stored, recomputed, pairs) == []
    recomputed.close()
    stored.close()


def test_default_rates_fail_a_season_whose_threes_features_are_all_missing(built_db, tmp_path):
    """2025-26 lacks the player's threes by design (known gaps in thresholds.yaml); the same features all NULL in
    2024-25 would be a failure of the missing-value check."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    try:
        days = [
            d for (d,) in con.execute(
                "SELECT DISTINCT game_date FROM features.ml_feature_store WHERE season_year = 2024 ORDER BY 1"
            ).fetchall()
        ]  # fmt: skip

        def defaults() -> list:
            return [r for r in gate_checks(con, STORE, days) if r.name.startswith("default")]

        assert defaults() and all(r.status == Status.PASS for r in defaults())
        missing = ", ".join(f"'{n}'" for n in PLAYER_THREES)
        con.execute(
            f"UPDATE {STORE} SET {', '.join(f'{n} = NULL' for n in PLAYER_THREES)}, "
            f"defaulted_features = list_distinct(list_concat(defaulted_features, [{missing}])) "
            f"WHERE season_year = 2024"
        )
        failed = [r for r in defaults() if r.status == Status.FAIL]
        assert failed, [r.message for r in defaults()]
    finally:
        con.close()
