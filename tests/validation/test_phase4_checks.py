"""The phase-4 spot checks and the point-in-time sample check, on the built corpus: they pass on the real build and
catch a planted error."""

import pytest

from nbaprops.validation import run_validation
from nbaprops.warehouse import connect

pytestmark = pytest.mark.realdata


def _results(con, table):
    return {r.name: r for r in run_validation(con, tables=[table])}


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
    # plant a leak: a stored feature that knows the game's own result
    con.execute(
        "UPDATE features.ml_feature_store f SET points_avg_last_5 = p.pts FROM analytics.player_game_summary p "
        "WHERE f.game_date = ? AND p.game_id = f.game_id AND p.player_id = f.player_id",
        [day],
    )
    leaked = _results(con, "features.ml_feature_store")["point_in_time"]
    con.close()
    assert leaked.blocks
    assert {m["feature"] for m in leaked.details["mismatches"]} == {"points_avg_last_5"}
