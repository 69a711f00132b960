"""Early-season features (issue 19) on the real corpus: the rows the feature store cannot have - bootstrap days and
players' first games - from earlier seasons shrunk toward this season, point in time, apart from the store."""

from __future__ import annotations

import datetime as dt
import math
import shutil

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.audit.point_in_time import FEATURE_TABLES, compare_features, recompute_as_of
from nbaprops.features.early_season_features import FLAGS, PRIOR_GAMES, TABLE, TRANSFORM, shrink
from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.pipeline.settings import run_parameters
from nbaprops.validation.api import run_checks
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata
D = dt.date
OPENING_NIGHT = D(2025, 10, 21)  # 2025-26: bootstrap days 2025-10-21 .. 2025-11-03


def _recompute(con: duckdb.DuckDBPyConnection, day: dt.date) -> dict[tuple[str, int], tuple]:
    """The transform's SELECT for one date, features keyed by (game_id, player_id)."""
    params = {**run_parameters(con), "start_date": day, "end_date": day}
    rows = con.execute(
        f"SELECT game_id, player_id, {', '.join(FEATURES)} FROM ({TRANSFORM.sql})", TRANSFORM.parameters(params)
    ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def _stored(con: duckdb.DuckDBPyConnection, day: dt.date) -> dict[tuple[str, int], tuple]:
    rows = con.execute(f"SELECT game_id, player_id, {', '.join(FEATURES)} FROM {TABLE} WHERE game_date = ?", [day])
    return {(r[0], r[1]): r[2:] for r in rows.fetchall()}


def _close(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@given(
    current=st.floats(-50, 50, allow_nan=False),
    prior=st.floats(-50, 50, allow_nan=False),
    games=st.integers(0, 82),
)
def test_shrink_lies_between_the_prior_and_the_season_and_moves_toward_the_season(current, prior, games):
    weight = games / (games + PRIOR_GAMES)
    sql = (
        f"SELECT {shrink('x')} "
        "FROM (SELECT $c::DOUBLE AS current_x, $p::DOUBLE AS prior_x, $w AS current_weight)"
    )
    value = duckdb.execute(sql, {"c": current, "p": prior, "w": weight}).fetchone()[0]
    assert min(current, prior) - 1e-9 <= value <= max(current, prior) + 1e-9
    assert value == pytest.approx((games * current + PRIOR_GAMES * prior) / (games + PRIOR_GAMES), abs=1e-9)
    alone = duckdb.execute(sql, {"c": None, "p": prior, "w": weight}).fetchone()[0]
    assert alone == prior  # no game this season yet: the prior alone


def test_columns_are_the_feature_stores_plus_flags_and_rows_are_disjoint_from_it(built):
    store = [r[0] for r in built.execute("DESCRIBE features.ml_feature_store").fetchall()]
    early = [r[0] for r in built.execute(f"DESCRIBE {TABLE}").fetchall()]
    assert early == store + list(FLAGS)
    total, distinct, overlap = built.execute(
        f"""SELECT count(*), count(DISTINCT (game_id, player_id)),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM features.ml_feature_store f
                                                  WHERE f.game_id = e.game_id AND f.player_id = e.player_id))
            FROM {TABLE} e"""
    ).fetchone()
    assert total == distinct > 7_000 and overlap == 0
    # the phase-4 contract: the feature store still has no bootstrap day; every one is here instead
    assert built.execute("SELECT count(*) FROM features.ml_feature_store WHERE is_bootstrap").fetchone()[0] == 0
    reasons = dict(built.execute(f"SELECT early_season_reason, count(*) FROM {TABLE} GROUP BY 1").fetchall())
    # first games after the bootstrap come from the lines and injury reports a run knows: 2025-26's lines only
    assert {"bootstrap_day", "first_game_of_season"} <= reasons.keys()
    assert reasons["bootstrap_day"] > 0.8 * total


def test_before_his_first_game_the_prior_season_is_exact_and_later_nights_shrink_by_games_played(built):
    """Oracle: each player's 2024-25 average from the box scores; before his first game of 2025-26 his row carries
    exactly that, and on a later bootstrap day (n / (n + k) weight on his n games this season) the weighted mix."""
    rows = built.execute(
        f"""
        WITH season AS (
            SELECT player_id, season_year, avg(pts) AS avg_pts FROM analytics.player_game_summary
            WHERE status = 'active' GROUP BY ALL
        ), this_season AS (
            SELECT e.game_id, e.player_id, avg(s.pts) AS avg_pts, count(*) AS n
            FROM {TABLE} e JOIN analytics.player_game_summary s ON s.player_id = e.player_id
              AND s.season_year = e.season_year AND s.game_date < e.game_date AND s.status = 'active'
            GROUP BY ALL
        )
        SELECT e.game_date, e.points_avg_season, p.avg_pts, t.avg_pts, coalesce(t.n, 0), e.current_season_games,
               e.has_prior_season, e.current_weight
        FROM {TABLE} e
        JOIN season p ON p.player_id = e.player_id AND p.season_year = 2024
        LEFT JOIN this_season t ON t.game_id = e.game_id AND t.player_id = e.player_id
        WHERE e.season_year = 2025 AND e.is_bootstrap
        """
    ).fetchall()
    opening = [r for r in rows if r[4] == 0]  # his team's first game(s): no game of his this season yet
    later = [r for r in rows if r[4] >= 3]
    assert len(opening) > 50 and any(r[0] == OPENING_NIGHT for r in opening) and len(later) > 100
    for _, value, prior, _, n, games, has_prior, _ in opening:
        assert n == games == 0 and has_prior and value == pytest.approx(float(prior), abs=1e-9)
    for _, value, prior, current, n, games, _, weight in later:
        assert games == n and weight == pytest.approx(n / (n + PRIOR_GAMES))
        assert value == pytest.approx((n * float(current) + PRIOR_GAMES * float(prior)) / (n + PRIOR_GAMES), abs=1e-6)


def test_a_player_without_an_earlier_season_gets_the_rookie_prior_and_its_flag(built):
    """Oracle: the mean points of every player-game of 2024-25's first-season players (no 2023-24 game)."""
    rookie_prior = built.execute(
        """
        WITH firsts AS (SELECT player_id FROM analytics.player_game_summary WHERE status = 'active'
                        GROUP BY player_id HAVING min(season_year) = 2024)
        SELECT avg(pts) FROM analytics.player_game_summary JOIN firsts USING (player_id)
        WHERE status = 'active' AND season_year = 2024
        """
    ).fetchone()[0]
    rows = built.execute(
        f"""
        SELECT e.points_avg_season, e.is_rookie_prior, e.current_season_games, avg(s.pts), count(s.pts)
        FROM {TABLE} e
        LEFT JOIN analytics.player_game_summary s ON s.player_id = e.player_id AND s.season_year = e.season_year
          AND s.game_date < e.game_date AND s.status = 'active'
        WHERE e.season_year = 2025 AND NOT e.has_prior_season
        GROUP BY e.game_id, e.player_id, e.points_avg_season, e.is_rookie_prior, e.current_season_games
        """
    ).fetchall()
    assert len(rows) > 20  # 2025-26 rookies on the bootstrap days after their first game
    for value, flagged, n, current, games in rows:
        assert flagged and n == games
        expected = float(rookie_prior) if n == 0 else (n * float(current) + PRIOR_GAMES * float(rookie_prior)) / (
            n + PRIOR_GAMES)  # fmt: skip
        assert value == pytest.approx(expected, abs=1e-6)
    # the warehouse's first season cannot tell a rookie: no rookie prior, so his form is NULL before his first game
    first = built.execute(
        f"SELECT count(*), count(*) FILTER (WHERE points_avg_last_10 IS NULL "
        "OR list_contains(defaulted_features, 'points_avg_last_10')), bool_or(is_rookie_prior OR has_prior_season) "
        f"FROM {TABLE} WHERE season_year = 2023 AND current_season_games = 0"
    ).fetchone()
    assert first[0] == first[1] > 0 and not first[2]


def test_perturbing_rows_on_and_after_the_date_changes_no_early_season_feature(built_db, tmp_path):
    """Point in time, for a bootstrap date and a date with first games of the season: every box-score row on or
    after the date gets 40 more points and 10 more minutes, every line snapshot at or after tip-off moves 10 points,
    injury reports of later dates are dropped; the recomputed rows equal the stored ones."""
    path = tmp_path / "perturbed.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    first_game_day = con.execute(
        f"SELECT min(game_date) FROM {TABLE} WHERE early_season_reason = 'first_game_of_season' "
        "AND season_year = 2025 AND has_prop_line"
    ).fetchone()[0]
    for day in sorted((D(2025, 10, 28), first_game_day), reverse=True):  # later first: each perturbs only its own
        before = _stored(con, day)
        assert before
        con.execute("UPDATE analytics.player_game_summary SET pts = pts + 40, minutes = minutes + 10 "
                    "WHERE game_date >= ?", [day])  # fmt: skip
        con.execute("UPDATE raw.prop_lines SET line = line + 10 WHERE snapshot_time_utc >= commence_time_utc "
                    "AND game_date >= ?", [day])  # fmt: skip
        con.execute("DELETE FROM raw.injuries WHERE game_date > ?", [day])
        after = _recompute(con, day)
        assert after.keys() == before.keys()
        for key, values in before.items():  # parallel float sums may differ in the last bits, nothing more
            assert all(map(_close, values, after[key])), (key, values, after[key])
    con.close()


def test_the_audit_recomputes_bootstrap_and_first_game_rows_exactly(built_db, tmp_path):
    """The point-in-time audit on early-season rows: a bootstrap date and a first game of the season, recomputed in
    a copy of the warehouse that forgot the date and everything after it."""
    assert TABLE in FEATURE_TABLES
    stored = connect(built_db, read_only=True)
    first_game_day = stored.execute(
        f"SELECT min(game_date) FROM {TABLE} WHERE early_season_reason = 'first_game_of_season' AND season_year = 2025"
    ).fetchone()[0]
    for day, reason in ((D(2024, 10, 25), "bootstrap_day"), (first_game_day, "first_game_of_season")):
        pairs = stored.execute(
            f"SELECT player_id, game_id FROM {TABLE} WHERE game_date = ? AND early_season_reason = ? "
            "ORDER BY hash(player_id) LIMIT 12",
            [day, reason],
        ).fetchall()
        assert pairs
        copy = recompute_as_of(built_db, day, tmp_path)
        recomputed = connect(copy, read_only=True)
        assert compare_features(stored, recomputed, pairs, TABLE) == []
        recomputed.close()
        copy.unlink()
    stored.close()


def test_bootstrap_days_cover_the_lined_played_player_games(built):
    """The lined played rows of 2025-26's bootstrap days (none in the feature store) have an early-season row, but
    for players no pre-game source places on a team (rookies' and off-season movers' first games)."""
    total, covered, unplaceable = built.execute(
        f"""
        SELECT count(*), count(e.player_id),
               count(*) FILTER (WHERE e.player_id IS NULL AND h.team IS DISTINCT FROM s.team)
        FROM analytics.player_game_summary s
        LEFT JOIN {TABLE} e ON e.game_id = s.game_id AND e.player_id = s.player_id
        ASOF LEFT JOIN analytics.player_game_summary h ON h.player_id = s.player_id AND h.game_date < s.game_date
        WHERE s.game_date BETWEEN '2025-10-21' AND '2025-11-03' AND s.status = 'active' AND s.points_line IS NOT NULL
        """
    ).fetchone()
    assert total > 1400 and covered / total > 0.95 and covered + unplaceable == total


def test_validation_checks_the_early_season_table_and_fails_a_date_without_form(built_db, tmp_path):
    """The table is validated like the store (coverage, keys, null rates with its own floor); a bootstrap date
    whose rows lost their form (no prior, no season) fails, naming the date."""
    con = connect(built_db, read_only=True)
    results = {r.name: r for r in run_checks(con, tables=[TABLE])}
    con.close()
    assert not [r for r in results.values() if r.blocks]
    assert {"coverage", "null_rate:points_avg_last_10"} <= results.keys()
    path = tmp_path / "blank.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    day = D(2024, 10, 30)
    assert con.execute(f"UPDATE {TABLE} SET points_avg_last_10 = NULL WHERE game_date = ?", [day]).fetchone()[0] > 50
    failed = {r.name: r for r in run_checks(con, tables=[TABLE])}["null_rate:points_avg_last_10"]
    con.close()
    assert failed.blocks and str(day) in failed.message
