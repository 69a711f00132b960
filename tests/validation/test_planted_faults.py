"""Issue 12 "Bad values pass" and issue 13 item 1: faults planted in a copy of the fully built warehouse each make
`nbaprops validate` exit 1 with a message naming the table, the dates and the column; then the fix command it prints
is run through the CLI and `validate` passes again ("every printed fix works")."""

from __future__ import annotations

import datetime as dt
import json
import shlex

import pytest

from nbaprops.features.ml_feature_store import FEATURES
from nbaprops.warehouse import connect
from tests.validation.helpers import cli

pytestmark = pytest.mark.realdata

DAY = dt.date(2025, 1, 15)
JANUARY = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
SEASON = ("--start-date", "2024-10-22", "--end-date", "2025-06-30")


def _plant(db, sql: str, params=None) -> list[dt.date]:
    """Run one UPDATE ... RETURNING <date> on the copy; the dates it touched."""
    con = connect(db)
    dates = sorted({r[0] for r in con.execute(sql, params or {}).fetchall()})
    con.close()
    assert dates, "the planted fault touched no rows"
    return dates


def _validate(db, table: str) -> tuple[int, dict, str]:
    """JSON and text of one table's validation; the random point-in-time sample (own tests) is left out."""
    no_pit = db.parent / "no-pit.yaml"
    no_pit.write_text("point_in_time:\n  dates: 0\n")
    options = ("--tables", table, *SEASON, "--thresholds", str(no_pit))
    as_json = cli(db, "validate", "--format", "json", *options)
    text = cli(db, "validate", *options)
    assert as_json.exit_code == text.exit_code
    return as_json.exit_code, json.loads(as_json.output), text.output


def _blocking(payload: dict) -> dict[str, dict]:
    return {r["name"]: r for r in payload["results"] if r["status"] == "fail" and r["blocking"]}


def _assert_named(text: str, table: str, column: str, dates: list[dt.date]) -> None:
    assert table in text and column in text
    assert str(dates[0]) in text, f"{dates[0]} not named in:\n{text}"


def _follow_fixes(db, table: str, payload: dict) -> None:
    """Run every printed fix command (upstream first, as printed), then validate must pass."""
    commands = list(dict.fromkeys(r["suggested_command"] for r in _blocking(payload).values()))
    assert commands and all(commands), _blocking(payload)
    for command in commands:
        assert command.startswith("nbaprops ")
        fixed = cli(db, *shlex.split(command)[1:])
        assert fixed.exit_code == 0, (command, fixed.output)
    code, _, text = _validate(db, table)
    assert code == 0, text


def test_usage_of_500_percent_fails_naming_table_date_and_column_and_its_fix_works(built_copy_path):
    table = "analytics.player_game_summary"
    dates = _plant(
        built_copy_path,
        f"UPDATE {table} SET usage_rate = 500 WHERE rowid = (SELECT min(rowid) FROM {table} "
        "WHERE game_date = $d AND usage_rate > 10) RETURNING game_date",
        {"d": DAY},
    )
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    failed = _blocking(payload)["range:usage_rate"]
    assert failed["measured"] == 1 and failed["details"]["examples"][0]["game_date"] == str(DAY)
    _assert_named(text, table, "usage_rate", dates)
    _follow_fixes(built_copy_path, table, payload)


def test_a_null_month_of_composite_factors_fails_naming_the_dates_and_its_fix_works(built_copy_path):
    table = "precompute.player_composite_factors"
    dates = _plant(
        built_copy_path,
        f"UPDATE {table} SET fatigue_score = NULL, pace_score = NULL, usage_spike_score = NULL, "
        "shot_zone_mismatch_score = NULL WHERE game_date BETWEEN $a AND $b RETURNING game_date",
        {"a": JANUARY[0], "b": JANUARY[1]},
    )
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    blocking = _blocking(payload)
    for column in ("fatigue_score", "pace_score"):
        assert blocking[f"null_rate:{column}"]["details"]["bad_dates"] == [str(d) for d in dates]
    # usage_spike_score is NULL wherever usage is (2025-26's slim game logs): not critical, so not blocking
    assert "null_rate:usage_spike_score" not in blocking
    _assert_named(text, table, "fatigue_score", dates)
    _follow_fixes(built_copy_path, table, payload)


def test_an_opponent_defensive_rating_of_400_fails_and_its_fix_works(built_copy_path):
    table = "precompute.team_defense_zone_analysis"
    dates = _plant(
        built_copy_path,
        f"UPDATE {table} SET def_rating_last_15 = 400 WHERE rowid = (SELECT min(rowid) FROM {table} "
        "WHERE analysis_date = $d) RETURNING analysis_date",
        {"d": DAY},
    )
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    assert _blocking(payload)["range:def_rating_last_15"]["details"]["examples"][0]["def_rating_last_15"] == 400
    _assert_named(text, table, "def_rating_last_15", dates)
    _follow_fixes(built_copy_path, table, payload)


def test_one_date_at_zero_percent_usage_fails_although_its_season_passes(built_copy_path):
    table = "analytics.player_game_summary"
    dates = _plant(
        built_copy_path,
        f"UPDATE {table} SET usage_rate = NULL WHERE game_date = $d RETURNING game_date",
        {"d": DAY},
    )
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    usage = _blocking(payload)["null_rate:usage_rate"]
    assert usage["details"]["failing_seasons"] == []  # the season as a whole is still above 95%
    assert usage["details"]["bad_dates"] == [str(DAY)]
    assert usage["details"]["bad_date_shares"] == {str(DAY): 0.0}
    _assert_named(text, table, "usage_rate", dates)
    _follow_fixes(built_copy_path, table, payload)


def test_feature_rows_with_a_high_default_count_fail_per_date_and_the_fix_works(built_copy_path):
    table = "features.ml_feature_store"
    defaulted = list(FEATURES[:20])
    dates = _plant(
        built_copy_path,
        f"UPDATE {table} SET defaulted_features = $f, default_feature_count = 20 WHERE game_date = $d "
        "RETURNING game_date",
        {"f": defaulted, "d": DAY},
    )
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    result = _blocking(payload)["default_rate"]
    assert result["details"]["bad_dates"] == [str(DAY)]
    assert result["details"]["bad_seasons"] == []
    _assert_named(text, table, "default", dates)
    _follow_fixes(built_copy_path, table, payload)


def test_a_date_that_lost_half_its_players_fails_the_row_count_floor(built_copy_path):
    table = "analytics.player_game_summary"
    dates = _plant(
        built_copy_path,
        f"DELETE FROM {table} WHERE game_date = $d AND hash(player_id) % 2 = 0 RETURNING game_date",
        {"d": DAY},
    )
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    assert _blocking(payload)["row_count"]["details"]["bad_dates"] == [str(DAY)]
    _assert_named(text, table, "row_count", dates)
    _follow_fixes(built_copy_path, table, payload)


def test_a_season_that_shrank_fails_the_per_season_row_count_check(built_copy_path):
    """A damaged file that deleted a fifth of a season's Basketball-Reference rows (issue 13): every date still has
    rows, but the season's rows per game fell below 90% of the previous season's."""
    table = "raw.player_boxscores"
    _plant(
        built_copy_path,
        f"DELETE FROM {table} WHERE source = 'bbref_box' AND season = '2024-25' AND hash(source_player_id) % 5 = 0 "
        "RETURNING game_date",
    )
    result = cli(built_copy_path, "validate", "--tables", table, "--format", "json")
    assert result.exit_code == 1
    shrunk = _blocking(json.loads(result.output))["row_count:season"]
    assert [(s["season"], s["source"], s["previous_season"]) for s in shrunk["details"]["shrunk"]] == [
        ("2024-25", "bbref_box", "2023-24")
    ]
    assert shrunk["suggested_command"] == "nbaprops ingest archive --seasons 2024-25 --reload"
    fixed = cli(built_copy_path, *shlex.split(shrunk["suggested_command"])[1:])
    assert fixed.exit_code == 0, fixed.output
    again = cli(built_copy_path, "validate", "--tables", table)
    assert again.exit_code == 0, again.output


def test_prediction_tables_pass_when_built_and_a_bad_prediction_fails(built_copy_path):
    table = "predictions.player_prop_predictions"
    result = cli(built_copy_path, "validate", "--phase", "predictions")
    assert result.exit_code == 0, result.output
    con = connect(built_copy_path)
    con.execute(
        f"INSERT INTO {table} (market, system, model_version, game_id, player_id, game_date, predicted_value, line, "
        "over_price, under_price, edge, recommendation, confidence, feature_version) "
        "VALUES ('points', 'gbm', 'v1', '0022400600', 1628983, $d, 500, 24.5, -110, -110, 475.5, 'OVER', 0.7, 3)",
        {"d": DAY},
    )
    con.close()
    code, payload, text = _validate(built_copy_path, table)
    assert code == 1
    assert _blocking(payload)["range:predicted_value"]["details"]["examples"][0]["game_date"] == str(DAY)
    _assert_named(text, table, "predicted_value", [DAY])
