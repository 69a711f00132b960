"""The phase-4 spot checks and the point-in-time sample check, on the built corpus: they pass on the real build and
catch a planted error."""

import datetime as dt

import pytest

from nbaprops.audit import run_validation
from nbaprops.validation import load_thresholds
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata


def _results(con, table, thresholds=None):
    return {r.name: r for r in run_validation(con, tables=[table], thresholds=thresholds)}


def _pit(**changes):
    t = load_thresholds()
    return t.model_copy(update={"point_in_time": t.point_in_time.model_copy(update=changes)})


def test_rolling_averages_match_the_raw_box_scores_and_a_corrupted_one_is_named(built_copy_path):
    con = connect(built_copy_path)
    results = _results(con, "precompute.player_daily_cache")
    for column in ("points_avg_last_10", "points_avg_season", "minutes_avg_last_10"):
        assert results[f"spot_check:{column}"].status == "pass", results[f"spot_check:{column}"].message
    con.execute("UPDATE precompute.player_daily_cache SET points_avg_last_10 = points_avg_last_10 + 3")
    broken = _results(con, "precompute.player_daily_cache")["spot_check:points_avg_last_10"]
    con.close()
    assert broken.blocks and broken.measured > 0
    assert broken.suggested_command.startswith("nbaprops backfill --tables precompute.player_daily_cache")


def test_point_in_time_sample_recomputes_exactly_and_catches_a_leak(built_copy_path):
    con = connect(built_copy_path)
    clean = _results(con, "features.ml_feature_store")["point_in_time"]
    assert clean.status == "pass", clean.message
    (day,) = clean.details["dates"][:1]
    assert str(clean.details["seed"]) in clean.message and str(day) in clean.message
    # plant a leak on every sampled date, in both feature tables (a date's sample may come from the early-season
    # rows alone): a stored feature that knows the game's own result
    for table in ("features.ml_feature_store", "features.early_season_features"):
        con.execute(
            f"UPDATE {table} f SET points_avg_last_5 = p.pts FROM analytics.player_game_summary p "
            "WHERE list_contains(?, f.game_date) AND p.game_id = f.game_id AND p.player_id = f.player_id",
            [clean.details["dates"]],
        )
    leaked = _results(con, "features.ml_feature_store", _pit(seed=clean.details["seed"]))["point_in_time"]
    con.close()
    assert leaked.details["dates"] == clean.details["dates"]  # the reported seed repeats the sample
    assert leaked.blocks
    assert {m["feature"] for m in leaked.details["mismatches"]} == {"points_avg_last_5"}


def test_point_in_time_samples_other_dates_each_run_and_checks_something(built_db):
    con = connect(built_db, read_only=True)
    try:
        runs = [_results(con, "features.ml_feature_store", _pit(dates=1, players_per_date=1))["point_in_time"]
                for _ in range(2)]  # fmt: skip
    finally:
        con.close()
    assert all(r.status == "pass" and r.details["pairs_checked"] == 1 for r in runs)
    assert runs[0].details["seed"] != runs[1].details["seed"]
    assert runs[0].details["dates"] != runs[1].details["dates"]


def test_a_spot_check_that_compared_nothing_fails(built_copy_path):
    """ "0/0 within 5%" is not a pass: usage wiped on the sampled day leaves nothing to compare."""
    con = connect(built_copy_path)
    day = dt.date(2025, 1, 15)
    con.execute("UPDATE precompute.player_daily_cache SET points_avg_last_10 = NULL WHERE cache_date = ?", [day])
    results = {r.name: r for r in run_validation(con, tables=["precompute.player_daily_cache"], start=day, end=day)}
    con.close()
    nothing = results["spot_check:points_avg_last_10"]
    assert nothing.blocks and "nothing was compared" in nothing.message and nothing.details["judged"] == 0
    assert results["spot_check:points_avg_season"].status == "pass"


def test_validate_audits_each_feature_table_once_on_its_own_thread_and_restores_duckdb_threads(built_db):
    """`run_validation` runs the audit beside the other checks: one point-in-time result per feature table, each
    having recomputed something, and the warehouse connection's DuckDB threads as they were (the checks ran on one)."""
    con = connect(built_db, read_only=True)
    try:
        (threads_before,) = con.execute("SELECT current_setting('threads')").fetchone()
        results = run_validation(con, phase="features", thresholds=_pit(dates=1, players_per_date=1))
        (threads_after,) = con.execute("SELECT current_setting('threads')").fetchone()
    finally:
        con.close()
    audits = {r.table: r for r in results if r.name == "point_in_time"}
    assert set(audits) == {"features.ml_feature_store", "features.early_season_features"}
    assert all(r.status == "pass" and r.details["pairs_checked"] == 1 for r in audits.values()), audits
    assert threads_after == threads_before
    assert {r.table for r in results if r.name == "key_uniqueness"} >= set(audits)  # the other checks ran too


def test_a_recompute_for_one_table_recomputes_what_it_reads_and_nothing_else(built_db, tmp_path):
    """The early-season rows read the analytics tables, not the precompute tables nor the feature store: those
    stay forgotten on the audited date, while the early-season rows come back identical."""
    from nbaprops.audit.point_in_time import EARLY_SEASON, compare_features, recomputed

    day = dt.date(2024, 10, 25)  # a bootstrap day of 2024-25: early-season rows for every candidate
    stored = connect(built_db, read_only=True)
    try:
        pairs = stored.execute(f"SELECT player_id, game_id FROM {EARLY_SEASON} WHERE game_date = ?", [day]).fetchall()
        with recomputed(built_db, day, tmp_path, table=EARLY_SEASON, keep=False) as copy:
            assert compare_features(stored, copy, pairs, EARLY_SEASON) == []
            assert copy.execute(
                "SELECT count(*) FROM analytics.upcoming_player_game_context WHERE game_date = ?", [day]
            ).fetchone()[0] > 0
            for untouched in ("precompute.player_daily_cache", "features.ml_feature_store"):
                column = "cache_date" if untouched.startswith("precompute") else "game_date"
                assert copy.execute(f"SELECT count(*) FROM {untouched} WHERE {column} >= ?", [day]).fetchone() == (0,)
    finally:
        stored.close()
    assert len(pairs) > 100
